"""The hall pages through the Django test client: kiosk, ticket page, window console, display, figures and
the planner; permissions and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from .. import services
from ..models import Ticket
from ..states import Channel, Status
from .conftest import HallWorld

pytestmark = pytest.mark.django_db


def client_for(user: Any = None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_kiosk_lists_items_and_takes_a_number(hw: HallWorld) -> None:
    c = client_for()
    page = c.get(f"/hall/{hw.hall.pk}/take/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "居民身份证换领" in body and "开办企业一件事" in body and "咨询" in body
    found = c.get(f"/hall/{hw.hall.pk}/take/", {"q": "身份证"}).content.decode()
    assert "居民身份证换领" in found and "商品房预售许可" not in found
    response = c.post(f"/hall/{hw.hall.pk}/take/", {"choice": f"item:{hw.item_police.pk}", "phone": "13800138000"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"].startswith(f"/hall/tickets/{ticket.public_id}/")
    assert (ticket.number, ticket.item, ticket.phone, ticket.channel) == (
        "B001",
        hw.item_police,
        "13800138000",
        "kiosk",
    )
    page = c.get(response["Location"])
    assert "B001" in page.content.decode() and 'id="ticket-qr"' in page.content.decode()


def test_kiosk_bundle_consult_and_mobile(hw: HallWorld) -> None:
    citizen = client_for(hw.world.citizen)
    citizen.post(f"/hall/{hw.hall.pk}/take/", {"choice": f"bundle:{hw.bundle.pk}", "channel": "mobile"})
    citizen.post(f"/hall/{hw.hall.pk}/take/?channel=mobile", {"choice": "consult"})
    bundle, consult = Ticket.objects.order_by("pk")
    assert bundle.bundle == hw.bundle and bundle.channel == Channel.MOBILE and bundle.user == hw.world.citizen
    assert consult.item is None and consult.bundle is None and consult.number == "A002"
    # Staff at a kiosk do not attach their account to a citizen's ticket.
    client_for(hw.clerk).post(f"/hall/{hw.hall.pk}/take/", {"choice": "consult"})
    assert Ticket.objects.order_by("-pk").first().user is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"choice": "consult", "phone": "123"}, "手机号"),
        ({"choice": "item:999999"}, "事项不存在"),
        ({"choice": "nonsense"}, "请选择"),
        ({}, "必填"),
    ],
)
def test_kiosk_bad_input(hw: HallWorld, data: dict[str, str], field: str) -> None:
    response = client_for().post(f"/hall/{hw.hall.pk}/take/", data)
    assert response.status_code == 400
    assert field in response.content.decode()
    assert not Ticket.objects.exists()


def test_unknown_hall_is_404(hw: HallWorld) -> None:
    assert client_for().get("/hall/999999/take/").status_code == 404
    assert client_for().get("/hall/999999/display/").status_code == 404
    assert client_for().get("/hall/999999/display.json").status_code == 404
    assert client_for().get("/hall/tickets/nope/").status_code == 404


def test_ticket_page_shows_position_and_estimate_then_rating_link(hw: HallWorld) -> None:
    for _ in range(4):
        services.ticket_take(hall=hw.hall)
    mine = services.ticket_take(hall=hw.hall)
    page = client_for().get(f"/hall/tickets/{mine.public_id}/").content.decode()
    # 4 ahead x 8 min (no history yet) / 3 comprehensive windows open = 10.67 -> 11
    assert "4 人" in page and "约 11 分钟" in page and 'hx-trigger="every 15s"' in page
    for _ in range(4):
        t = services.window_call_next(window=hw.windows[0], clerk=hw.clerk)
        assert t is not None
        services.ticket_no_show(ticket=t, clerk=hw.clerk)
    t = services.window_call_next(window=hw.windows[0], clerk=hw.clerk)
    assert t == mine
    page = client_for().get(f"/hall/tickets/{mine.public_id}/").content.decode()
    assert "请 A005 号到 1 号窗口办理" in page and "rate-link" not in page
    t = services.ticket_finish(ticket=services.ticket_start(ticket=t, clerk=hw.clerk), clerk=hw.clerk)
    page = client_for().get(f"/hall/tickets/{mine.public_id}/").content.decode()
    # A walk-in rates on the window's device or by the SMS link: no login page on the way.
    assert 'id="rate-how"' in page and "评价器" in page and "/ratings/rate/" not in page
    assert 'hx-trigger="every 15s"' not in page


def test_holder_cancels_from_the_ticket_page(hw: HallWorld) -> None:
    t = services.ticket_take(hall=hw.hall)
    c = client_for()
    c.post(f"/hall/tickets/{t.public_id}/cancel/", {"version": t.version})
    assert Ticket.objects.get(pk=t.pk).status == Status.CANCELLED
    response = c.post(f"/hall/tickets/{t.public_id}/cancel/", {"version": t.version}, follow=True)
    assert "不能取消" in response.content.decode()


def test_console_needs_a_clerk_of_the_hall(hw: HallWorld) -> None:
    url = f"/hall/windows/{hw.windows[0].pk}/"
    assert client_for().get(url).status_code == 302  # to the login page
    assert client_for(hw.world.citizen).get(url).status_code == 404
    assert client_for(hw.manager).get(url).status_code == 404
    assert client_for(hw.outsider_clerk).get(url).status_code == 404
    assert client_for(hw.clerk).get(url).status_code == 200
    assert client_for(hw.outsider_clerk).post(f"{url}act/", {"action": "call_next"}).status_code == 404


def test_console_walks_a_ticket_and_links_to_acceptance(hw: HallWorld) -> None:
    t = services.ticket_take(hall=hw.hall, item=hw.item_housing)
    c = client_for(hw.clerk)
    act = f"/hall/windows/{hw.windows[1].pk}/act/"
    assert c.post(act, {"action": "call_next"}).status_code == 302
    page = c.get(f"/hall/windows/{hw.windows[1].pk}/").content.decode()
    assert "A001" in page and "商品房预售许可" in page
    assert "/applications/accept/?item=HOUSING-001&amp;ticket=A001" in page
    t.refresh_from_db()
    for action in ("recall", "start", "finish"):
        r = c.post(act, {"action": action, "ticket": t.public_id, "version": t.version})
        assert r.status_code == 302, r.content.decode()
        t.refresh_from_db()
    assert t.status == Status.DONE and t.recalls == 1


def test_console_bundle_link_and_errors(hw: HallWorld) -> None:
    t = services.ticket_take(hall=hw.hall, bundle=hw.bundle)
    c = client_for(hw.clerk)
    act = f"/hall/windows/{hw.windows[0].pk}/act/"
    assert c.post(act, {"action": "finish"}).status_code == 404  # nothing at the window yet
    c.post(act, {"action": "call_next"})
    assert (
        "/applications/accept/?bundle=kaiban&amp;ticket=A001"
        in c.get(f"/hall/windows/{hw.windows[0].pk}/").content.decode()
    )
    r = c.post(act, {"action": "finish"})
    assert r.status_code == 409 and "不能办结" in r.content.decode()
    r = c.post(act, {"action": "call_next"})
    assert r.status_code == 409 and "A001" in r.content.decode()
    r = c.post(act, {"action": "start", "version": "1"})  # stale: the call made it 2
    assert r.status_code == 409 and "已被他人修改" in r.content.decode()
    assert c.post(act, {"action": "explode"}).status_code == 400
    t.refresh_from_db()
    assert t.status == Status.CALLED


def test_console_pause_and_open(hw: HallWorld) -> None:
    c = client_for(hw.clerk)
    act = f"/hall/windows/{hw.windows[2].pk}/act/"
    c.post(act, {"action": "close"})
    hw.windows[2].refresh_from_db()
    assert not hw.windows[2].is_open
    services.ticket_take(hall=hw.hall)
    r = c.post(act, {"action": "call_next"})
    assert r.status_code == 400 and "暂停" in r.content.decode()
    c.post(act, {"action": "open"})
    assert c.post(act, {"action": "call_next"}).status_code == 302


def test_display_page_and_json(hw: HallWorld) -> None:
    services.ticket_take(hall=hw.hall)
    services.ticket_take(hall=hw.hall, item=hw.item_police)
    services.ticket_take(hall=hw.hall)
    services.window_call_next(window=hw.windows[1], clerk=hw.clerk)
    page = client_for().get(f"/hall/{hw.hall.pk}/display/").content.decode()
    assert "请 A001 号到 2 号窗口" in page
    state = client_for().get(f"/hall/{hw.hall.pk}/display.json").json()
    assert state["calls"][0]["text"] == "请 A001 号到 2 号窗口"
    assert state["waiting"] == {"A": 1, "B": 1} and state["waiting_total"] == 2
    assert [w["current"] for w in state["windows"]] == [None, "A001", None, None]


def test_figures_permissions_and_bad_dates(hw: HallWorld) -> None:
    url = f"/hall/{hw.hall.pk}/figures/"
    assert client_for(hw.clerk).get(url).status_code == 404
    assert client_for(hw.world.citizen).get(url).status_code == 404
    assert client_for(hw.world.supervisor).get(url).status_code == 200  # city-wide supervisor
    # A manager elsewhere: 404, as if the hall did not exist.
    from huying.accounts.roles import Role
    from tests.fixtures import make_user

    elsewhere = make_user("mgr2", Role.HALL_MANAGER, hw.world.street)
    assert client_for(elsewhere).get(url).status_code == 404
    manager = client_for(hw.manager)
    assert manager.get(url).status_code == 200
    bad = manager.get(url, {"start": "2026-05-02", "end": "2026-05-01"})
    assert bad.status_code == 400 and "开始日期不能晚于结束日期" in bad.content.decode()
    assert manager.get(url, {"start": "2020-01-01", "end": "2026-05-01"}).status_code == 400
    assert manager.get(url, {"start": "nonsense"}).status_code == 400


def test_planner_computes_and_validates(hw: HallWorld) -> None:
    url = "/hall/planner/"
    assert client_for(hw.world.citizen).get(url).status_code == 404
    c = client_for(hw.manager)
    assert "市场主体登记" in c.get(url).content.decode()  # the seed-like example is filled in
    rows = {
        "name_0": "公安",
        "arrivals_0": "9",
        "minutes_0": "12",
        "name_1": "税务",
        "arrivals_1": "6",
        "minutes_1": "12",
    }
    r = c.get(url, {**rows, "windows": "4"})
    body = r.content.decode()
    assert r.status_code == 200 and 'id="planner-result"' in body and "Erlang C" in body
    bad_cases = [
        ({**rows, "windows": "1"}, "至少需要"),
        ({**rows, "windows": "0"}, "窗口总数至少为1"),
        ({**rows, "windows": "abc"}, "窗口总数应为整数"),
        ({**rows, "windows": "500"}, "窗口总数最多为"),
        ({"windows": "4"}, "请至少填写一个部门"),
        ({**rows, "arrivals_1": "-3", "windows": "4"}, "来办人数应大于0"),
        ({**rows, "minutes_0": "", "windows": "4"}, "请填写平均办理分钟"),
        ({**rows, "windows_0": "2", "windows": "4"}, "请为每个部门都填写窗口数"),
        ({**rows, "windows_0": "2", "windows_1": "3", "windows": "4"}, "各部门窗口数之和"),
        ({**rows, "windows_0": "1", "windows_1": "3", "windows": "4"}, "排不过来"),
        ({**rows, "name_1": "公安", "windows": "4"}, "不能重复"),
    ]
    for data, message in bad_cases:
        r = c.get(url, data)
        assert r.status_code == 400, (data, r.status_code)
        assert message in r.content.decode(), (data, message)


def test_index_lists_halls_for_staff(hw: HallWorld) -> None:
    page = client_for(hw.manager).get("/hall/").content.decode()
    assert "滨州市政务服务中心" in page and "/hall/planner/" in page
    assert client_for(hw.world.citizen).get("/hall/").status_code == 404


def test_kiosk_search_by_pinyin_initials(hw: HallWorld) -> None:
    found = client_for().get(f"/hall/{hw.hall.pk}/take/", {"q": "jmsfz"}).content.decode()
    assert "居民身份证换领" in found and "商品房预售许可" not in found

"""Pages: rate (own act only, clear errors, never 500), thanks, inbox scoping and colours, case
actions, complaints review, public figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huying.ratings import services
from huying.ratings.models import Complaint, Rating, RectificationCase
from huying.ratings.states import CaseStatus, Channel, RevisitView

from .conftest import case_in

pytestmark = pytest.mark.django_db
RATE = "/ratings/rate/"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def recent_act(world: Any, acts: Any, **kw: Any) -> Any:
    kw.setdefault("rater", world.citizen)
    return acts.add(unit=kw.pop("unit", world.urban), occurred_at=timezone.now() - dt.timedelta(hours=1), **kw)


def test_rate_page_shows_the_act_and_five_choices(world: Any, acts: Any) -> None:
    act = recent_act(world, acts, title="不动产登记")
    response = login(world.citizen).get(RATE, {"kind": act.kind, "ref": act.ref})
    html = response.content.decode()
    assert response.status_code == 200
    assert "不动产登记" in html and act.ref in html
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert f'<span class="label">{label}</span>' in html
    assert html.count('name="level"') == 5


def test_citizen_rates_and_is_thanked(world: Any, acts: Any) -> None:
    act = recent_act(world, acts)
    client = login(world.citizen)
    response = client.post(
        RATE, {"kind": act.kind, "ref": act.ref, "level": "5", "comment": "好", "dim_efficiency": "5"}
    )
    assert response.status_code == 302 and response["Location"] == "/ratings/rate/done/"
    rating = Rating.objects.get()
    assert (rating.level, rating.channel, rating.dimensions) == (5, Channel.WEB, {"efficiency": 5})
    thanks = client.get("/ratings/rate/done/")
    assert thanks.status_code == 200 and "感谢您的评价" in thanks.content.decode()
    again = client.get(RATE, {"kind": act.kind, "ref": act.ref})
    assert "该事项已评价" in again.content.decode() and 'id="rate-form"' not in again.content.decode()
    dup = client.post(RATE, {"kind": act.kind, "ref": act.ref, "level": "1", "comment": "x"})
    assert dup.status_code == 400 and "每件只能评价一次" in dup.content.decode()
    assert Rating.objects.count() == 1


def test_bad_rating_page_says_what_happens_next(world: Any, acts: Any) -> None:
    act = recent_act(world, acts)
    client = login(world.citizen)
    client.post(RATE, {"kind": act.kind, "ref": act.ref, "level": "2", "comment": "材料清单与实际不符"})
    html = client.get("/ratings/rate/done/").content.decode()
    assert 'id="bad-rating-notice"' in html and "5个工作日" in html
    assert RectificationCase.objects.get().status == CaseStatus.OPEN


def test_someone_elses_act_is_not_found(world: Any, acts: Any) -> None:
    act = recent_act(world, acts, title="秘密事项")
    response = login(world.other_citizen).get(RATE, {"kind": act.kind, "ref": act.ref})
    assert response.status_code == 404 and "秘密事项" not in response.content.decode()
    post = login(world.other_citizen).post(RATE, {"kind": act.kind, "ref": act.ref, "level": "1", "comment": "x"})
    assert post.status_code == 404
    assert not Rating.objects.exists()


def test_anonymous_visitor_is_told_how_to_rate_without_an_account(world: Any, acts: Any) -> None:
    act = recent_act(world, acts)
    response = Client().get(RATE, {"kind": act.kind, "ref": act.ref})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="rate-how"' in html and "评价器" in html and "短信" in html
    assert "/accounts/login/?next=" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": "0"}, "请选择评价等级"),
        ({"level": "6"}, "请选择评价等级"),
        ({"level": ""}, "请选择评价等级"),
        ({"level": "2", "comment": ""}, "差评请简要写明不满意的原因"),
        ({"level": "4", "channel": "fax"}, "评价渠道无效"),
        ({"level": "4", "dim_efficiency": "9"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_is_a_clear_400(world: Any, acts: Any, data: dict[str, str], message: str) -> None:
    act = recent_act(world, acts)
    response = login(world.citizen).post(RATE, {"kind": act.kind, "ref": act.ref, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.parametrize("query", [{}, {"kind": "application"}, {"ref": "B1"}, {"kind": " ", "ref": " "}])
def test_missing_kind_or_ref(world: Any, acts: Any, query: dict[str, str]) -> None:
    response = login(world.citizen).get(RATE, query)
    assert response.status_code == 400 and "缺少评价事项" in response.content.decode()


@pytest.mark.parametrize("query", [{"kind": "nope", "ref": "X"}, {"kind": "application", "ref": "NOPE"}])
def test_unknown_act_is_404(world: Any, acts: Any, query: dict[str, str]) -> None:
    assert login(world.citizen).get(RATE, query).status_code == 404


def test_closed_window_shows_no_form(world: Any, acts: Any) -> None:
    act = acts.add(unit=world.urban, rater=world.citizen, occurred_at=timezone.now() - dt.timedelta(days=30))
    client = login(world.citizen)
    html = client.get(RATE, {"kind": act.kind, "ref": act.ref}).content.decode()
    assert 'id="window-closed"' in html and 'id="rate-form"' not in html
    post = client.post(RATE, {"kind": act.kind, "ref": act.ref, "level": "5"})
    assert post.status_code == 400 and "已超过评价期限" in post.content.decode()


def test_clerk_enters_on_the_hall_device(world: Any, acts: Any, hall: Any) -> None:
    act = recent_act(world, acts, rater=None, phone="")
    client = login(hall.clerk)
    html = client.get(RATE, {"kind": act.kind, "ref": act.ref}).content.decode()
    assert "窗口代录" in html and "服务态度" in html
    response = client.post(
        RATE, {"kind": act.kind, "ref": act.ref, "level": "4", "channel": "device", "dim_service_attitude": "5"}
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.channel, rating.entered_by_id, rating.dimensions) == (
        "device",
        hall.clerk.pk,
        {"service_attitude": 5},
    )
    hotline = client.post(RATE, {"kind": act.kind, "ref": act.ref, "level": "4", "channel": "hotline"})
    assert hotline.status_code == 400


# --- inbox and case page ----------------------------------------------------------------------


def test_inbox_shows_only_the_units_cases_with_colours(world: Any, acts: Any) -> None:
    mine = case_in(world, acts, CaseStatus.OPEN)
    other = case_in(world, acts, CaseStatus.OPEN, unit=world.housing)
    html = login(world.handler).get("/ratings/cases/").content.decode()
    assert f'data-case="{mine.pk}"' in html and f'data-case="{other.pk}"' not in html
    assert 'data-deadline="overdue"' in html  # due in March 2026
    assert 'id="deadline-legend"' in html
    assert login(world.handler).get(f"/ratings/cases/{other.pk}/").status_code == 404
    sup = login(world.supervisor).get("/ratings/cases/?status=all").content.decode()
    assert f'data-case="{mine.pk}"' in sup and f'data-case="{other.pk}"' in sup


def test_inbox_refuses_citizens_and_sends_visitors_to_login(world: Any) -> None:
    assert login(world.citizen).get("/ratings/cases/").status_code == 404
    assert Client().get("/ratings/cases/").status_code == 302
    assert login(world.citizen).get("/ratings/complaints/").status_code == 404
    assert login(world.handler).get("/ratings/complaints/").status_code == 403


def test_inbox_bad_tab_and_page_do_not_fail(world: Any, acts: Any) -> None:
    case_in(world, acts, CaseStatus.OPEN)
    assert login(world.handler).get("/ratings/cases/?status=zzz&page=abc").status_code == 200


def test_case_page_walks_the_whole_loop(
    world: Any, acts: Any, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    client = login(world.handler)
    url = f"/ratings/cases/{case.pk}/"
    html = client.get(url).content.decode()
    assert 'id="action-verify"' in html and "138****8000" in html and "13800138000" not in html
    steps = [
        {"action": "verify", "note": "已电话联系，属实", "contact_person": "李承办"},
        {
            "action": "explain",
            "note": "需改造系统",
            "resolution": "scheduled",
            "ledger_entry": "台账-7",
            "rectify_by": "2099-01-31",
        },
        {"action": "answer", "note": "已列入整改台账，月底完成"},
        {"action": "revisit", "note": "表示理解", "revisit_view": "basically"},
        {"action": "close", "note": ""},
    ]
    version = case.version
    for step in steps:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{url}act/", {**step, "version": version})
        assert response.status_code == 302, response.content.decode()[:2000]
        version += 1
    fresh = RectificationCase.objects.get(pk=case.pk)
    assert (fresh.status, fresh.ledger_entry, fresh.revisit_view) == (CaseStatus.CLOSED, "台账-7", "basically")
    assert "已列入整改台账" in capsys.readouterr().out


def test_unsatisfied_revisit_offers_redo_on_the_page(world: Any, acts: Any) -> None:
    satisfied = case_in(world, acts, CaseStatus.REVISITED)
    client = login(world.supervisor)
    html = client.get(f"/ratings/cases/{satisfied.pk}/").content.decode()
    assert 'id="action-close"' in html and 'id="action-redo"' not in html
    response = client.post(f"/ratings/cases/{satisfied.pk}/act/", {"action": "redo", "note": "再改"})
    assert response.status_code == 400 and "不满意" in response.content.decode()

    case = case_in(world, acts, CaseStatus.REVISITED, revisit_view=RevisitView.UNSATISFIED)
    html = client.get(f"/ratings/cases/{case.pk}/").content.decode()
    assert 'id="action-redo"' in html and "评价人仍不满意之处" in html
    data = {"action": "redo", "note": "仍未一次性告知所需材料", "version": case.version}
    assert client.post(f"/ratings/cases/{case.pk}/act/", data).status_code == 302
    fresh = RectificationCase.objects.get(pk=case.pk)
    assert (fresh.status, fresh.revisit_view) == (CaseStatus.VERIFIED, "")
    assert 'id="action-rectify"' in login(world.handler).get(f"/ratings/cases/{case.pk}/").content.decode()


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"action": "verify", "note": "x", "contact_person": ""}, 400, "请填写与评价人联系核实的人员"),
        ({"action": "verify", "note": "", "contact_person": "李"}, 400, "请填写核实情况"),
        ({"action": "answer", "note": "x"}, 409, "不能执行"),
        ({"action": "explode", "note": "x"}, 400, "未知操作"),
        ({"action": "verify", "note": "x", "contact_person": "李", "version": "abc"}, 400, "输入有误"),
    ],
)
def test_case_action_errors_are_shown(world: Any, acts: Any, data: dict[str, str], status: int, message: str) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    response = login(world.handler).post(f"/ratings/cases/{case.pk}/act/", data)
    assert response.status_code == status
    assert message in response.content.decode()


def test_stale_version_on_the_page(world: Any, acts: Any, hall: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    data = {"action": "verify", "note": "属实", "contact_person": "李", "version": case.version}
    assert login(world.handler).post(f"/ratings/cases/{case.pk}/act/", data).status_code == 302
    response = login(hall.urban_clerk).post(f"/ratings/cases/{case.pk}/act/", data)
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()


def test_other_unit_cannot_act_or_complain(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.OPEN)
    client = login(world.housing_handler)
    assert client.post(f"/ratings/cases/{case.pk}/act/", {"action": "verify", "note": "x"}).status_code == 404
    assert (
        client.post(f"/ratings/cases/{case.pk}/complaint/", {"reason": "malicious", "statement": "x"}).status_code
        == 404
    )


def test_complaint_filed_and_upheld_on_pages(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.VERIFIED)
    unit = login(world.handler)
    bad = unit.post(f"/ratings/cases/{case.pk}/complaint/", {"reason": "", "statement": ""})
    assert bad.status_code == 400 and "请选择申诉类型" in bad.content.decode()
    ok = unit.post(
        f"/ratings/cases/{case.pk}/complaint/", {"reason": "malicious", "statement": "评价人当场辱骂窗口人员"}
    )
    assert ok.status_code == 302
    complaint = Complaint.objects.get()
    sup = login(world.supervisor)
    html = sup.get("/ratings/complaints/").content.decode()
    assert f'id="complaint-{complaint.pk}"' in html and "评价人当场辱骂窗口人员" in html
    missing = sup.post(f"/ratings/complaints/{complaint.pk}/review/", {"decision": "", "note": "", "version": 1})
    assert missing.status_code == 400 and "请选择复核结论" in missing.content.decode()
    done = sup.post(
        f"/ratings/complaints/{complaint.pk}/review/", {"decision": "uphold", "note": "有录像为证", "version": 1}
    )
    assert done.status_code == 302
    assert Rating.objects.get(pk=case.rating_id).excluded
    assert RectificationCase.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    assert login(world.housing_handler).post(
        f"/ratings/complaints/{complaint.pk}/review/", {"decision": "reject", "note": "x"}
    ).status_code in (403, 404)


# --- public figures ---------------------------------------------------------------------------


def test_figures_page_is_public_and_has_no_personal_data(world: Any, acts: Any) -> None:
    for level in (5, 4):
        act = recent_act(world, acts)
        services.rating_submit(kind=act.kind, ref=act.ref, level=level, channel=Channel.WEB, user=world.citizen)
    case_in(world, acts, CaseStatus.CLOSED)
    response = Client().get("/ratings/figures/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="fig-total">3<' in html
    assert 'id="fig-satisfaction">66.67%<' in html and 'id="fig-rectification">100.0%<' in html
    for term in ("满意率", "好评率", "差评整改率", "实名差评回访率"):
        assert term in html
    assert "138" not in html and "张三" not in html and "窗口态度差" not in html


@pytest.mark.parametrize("query", ["?month=2026-13", "?month=abc", "?kind=zzz", "?month=2026-03&kind=application"])
def test_figures_filters_never_fail(world: Any, acts: Any, query: str) -> None:
    case_in(world, acts, CaseStatus.OPEN)
    response = Client().get(f"/ratings/figures/{query}")
    assert response.status_code == 200

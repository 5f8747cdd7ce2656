"""Staff pages: access by role, the workbench, the inbox, the detail page and its actions, the board."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from huying.appeals.models import Appeal, AppealAssignment, AppealEvent
from huying.appeals.states import Action, Channel, Status
from huying.appeals.tests.factories import appeal_in, submit
from huying.core.models import AuditLog

CALL = "市中街道黄河社区有一处施工工地夜间施工，噪音扰民，已持续一周，请求处理。"


@pytest.mark.parametrize(
    ("url_name", "allowed", "refused"),
    [
        ("appeals:workbench", ["operator"], ["handler", "supervisor", "citizen"]),
        ("appeals:inbox", ["handler", "housing_handler"], ["operator", "citizen"]),
        ("appeals:board", ["supervisor", "operator"], ["handler", "citizen"]),
    ],
)
def test_staff_pages_render_for_their_role_and_refuse_others(
    client: Client, world: Any, url_name: str, allowed: list[str], refused: list[str]
) -> None:
    url = reverse(url_name)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    for who in allowed:
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 200, who
    for who in refused:
        client.force_login(getattr(world, who))
        response = client.get(url)
        assert response.status_code == 404, who
        assert "记录不存在或您无权查看" in response.content.decode()


def _call(world: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": Channel.HOTLINE,
        "appeal_type": "complaint",
        "urgency": "general",
        "content": CALL,
        "category": world.cat_noise.pk,
        "division": world.bincheng.pk,
        "address": "黄河社区",
        "requester_name": "赵六",
        "requester_phone": "13612345678",
        "requester_id_number": "",
        "lead_unit": world.urban.pk,
        "assist_units": [world.street.pk],
        "mode": "dispatch",
    }
    data.update(overrides)
    return data


def test_workbench_records_and_dispatches_a_call(client: Client, world: Any) -> None:
    client.force_login(world.operator)
    response = client.post(reverse("appeals:workbench"), _call(world))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.status == Status.DISPATCHED and appeal.lead_unit == world.urban
    assert appeal.channel == Channel.HOTLINE and appeal.due_at is not None
    roles = set(AppealAssignment.objects.filter(appeal=appeal).values_list("unit_id", "role"))
    assert roles == {(world.urban.pk, "lead"), (world.street.pk, "assist")}
    page = client.get(response["Location"]).content.decode()
    assert 'id="record-result"' in page and appeal.number in page
    # The result is shown once; the next call starts with a clean page.
    assert 'id="record-result"' not in client.get(reverse("appeals:workbench")).content.decode()


def test_workbench_accept_only_leaves_the_order_waiting(client: Client, world: Any) -> None:
    client.force_login(world.operator)
    client.post(reverse("appeals:workbench"), _call(world, mode="accept"))
    appeal = Appeal.objects.get()
    assert appeal.status == Status.ACCEPTED and appeal.lead_unit is None
    page = client.get(reverse("appeals:workbench")).content.decode()
    assert f'data-number="{appeal.number}"' in page  # in the waiting list


def test_workbench_dispatch_without_a_unit_creates_nothing(client: Client, world: Any) -> None:
    client.force_login(world.operator)
    response = client.post(reverse("appeals:workbench"), _call(world, lead_unit=""))
    assert response.status_code == 400
    assert "请选择主办单位" in response.content.decode()
    assert CALL in response.content.decode()
    assert not Appeal.objects.exists()


def test_workbench_bad_phone_creates_nothing(client: Client, world: Any) -> None:
    client.force_login(world.operator)
    response = client.post(reverse("appeals:workbench"), _call(world, requester_phone="999"))
    assert response.status_code == 400
    assert "电话号码格式不正确" in response.content.decode()
    assert not Appeal.objects.exists()


def test_workbench_repeat_call_is_linked_not_dispatched(client: Client, world: Any) -> None:
    lead = appeal_in(world, Status.HANDLING, phone="13612345678", content=CALL)
    client.force_login(world.operator)
    response = client.post(reverse("appeals:workbench"), _call(world), follow=True)
    html = response.content.decode()
    assert 'id="repeat-notice"' in html and lead.number in html
    repeat = Appeal.objects.exclude(pk=lead.pk).get()
    assert repeat.status == Status.MERGED and not repeat.assignments.exists()


def test_suggest_unit_fragment_selects_the_catalogue_unit(client: Client, world: Any) -> None:
    client.force_login(world.operator)
    response = client.get(
        reverse("appeals:suggest_unit"), {"category": world.cat_noise.pk, "division": "", "urgency": "general"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{world.urban.pk}" selected>' in html
    assert "5个工作日" in html and 'id="lead-unit-block"' in html
    urgent = client.get(reverse("appeals:suggest_unit"), {"category": world.cat_noise.pk, "urgency": "emergency"})
    assert "2小时" in urgent.content.decode()
    client.force_login(world.handler)
    assert client.get(reverse("appeals:suggest_unit")).status_code == 404


def test_inbox_lists_lead_and_assist_work_with_deadline_colours(client: Client, world: Any) -> None:
    led = appeal_in(world, Status.HANDLING)
    client.force_login(world.handler)
    html = client.get(reverse("appeals:inbox")).content.decode()
    assert led.number in html and "主办" in html
    assert 'data-deadline="ok"' in html and 'id="deadline-legend"' in html
    client.force_login(world.housing_handler)
    assert led.number not in client.get(reverse("appeals:inbox")).content.decode()


def test_handler_cannot_see_an_appeal_of_another_unit(client: Client, world: Any) -> None:
    appeal = appeal_in(world, Status.DISPATCHED)
    client.force_login(world.housing_handler)
    response = client.get(reverse("appeals:detail", args=[appeal.pk]))
    assert response.status_code == 404
    assert "记录不存在或您无权查看" in response.content.decode()
    act = client.post(reverse("appeals:act", args=[appeal.pk]), {"action": "sign", "version": appeal.version})
    assert act.status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == Status.DISPATCHED


def test_detail_offers_the_allowed_actions_with_the_version(client: Client, world: Any) -> None:
    appeal = appeal_in(world, Status.DISPATCHED)
    client.force_login(world.handler)
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'data-action="sign"' in html and 'data-action="request_return"' in html
    assert 'data-action="dispatch"' not in html
    assert f'name="version" value="{appeal.version}"' in html
    assert "138****" in html and appeal.requester_phone not in html  # masked
    assert 'id="reveal-form"' not in html  # units do not call people back


def test_sign_then_reply_through_the_act_endpoint(client: Client, world: Any) -> None:
    appeal = appeal_in(world, Status.DISPATCHED)
    client.force_login(world.handler)
    url = reverse("appeals:act", args=[appeal.pk])
    response = client.post(url, {"action": "sign", "version": appeal.version})
    assert response.status_code == 302 and response["Location"] == reverse("appeals:detail", args=[appeal.pk])
    appeal.refresh_from_db()
    assert appeal.status == Status.HANDLING
    page = client.get(response["Location"]).content.decode()
    assert "已完成「签收」" in page
    no_note = client.post(url, {"action": "reply", "version": appeal.version, "note": ""})
    assert no_note.status_code == 400 and no_note.content.decode().count("请填写答复内容。") == 1
    # A reply that may not answer the appeal comes back with the reasons; nothing is sent yet.
    short = {"action": "reply", "version": appeal.version, "note": "已协调施工单位停止夜间施工。"}
    warned = client.post(url, short)
    assert warned.status_code == 400 and 'id="reply-warnings"' in warned.content.decode()
    assert "答复过短" in warned.content.decode() and 'name="confirm"' in warned.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.HANDLING
    # The unit may still send it, on purpose.
    client.post(url, {**short, "confirm": "1"})
    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED and appeal.reply_text == "已协调施工单位停止夜间施工。"


def test_operator_follow_up_closes_the_order(client: Client, world: Any) -> None:
    appeal = appeal_in(world, Status.REPLIED)
    client.force_login(world.operator)
    response = client.post(
        reverse("appeals:act", args=[appeal.pk]),
        {"action": "follow_up", "version": appeal.version, "resolution": "resolved", "satisfaction": "basically"},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.satisfaction == "basically"


def test_dispatch_from_the_detail_page(client: Client, world: Any) -> None:
    appeal = appeal_in(world, Status.ACCEPTED)
    client.force_login(world.operator)
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert f'<option value="{world.urban.pk}" selected>' in html  # the catalogue's unit pre-selected
    client.post(
        reverse("appeals:act", args=[appeal.pk]),
        {"action": "dispatch", "version": appeal.version, "lead_unit": world.housing.pk},
    )
    appeal.refresh_from_db()
    assert appeal.status == Status.DISPATCHED and appeal.lead_unit == world.housing


def test_stale_version_gets_the_conflict_message_and_changes_nothing(client: Client, world: Any) -> None:
    appeal = appeal_in(world, Status.DISPATCHED)
    stale = appeal.version
    client.force_login(world.handler)
    # Someone else acts meanwhile (the supervisor raises the 督办 level: the version moves on).
    from huying.appeals import services

    services.appeal_transition(actor=world.supervisor, appeal=appeal.pk, action=Action.SUPERVISE, note="请尽快签收")
    events = AppealEvent.objects.filter(appeal=appeal).count()
    response = client.post(reverse("appeals:act", args=[appeal.pk]), {"action": "sign", "version": stale})
    assert response.status_code == 409
    html = response.content.decode()
    assert "该记录已被他人修改" in html and 'id="action-error"' in html
    appeal.refresh_from_db()
    assert appeal.status == Status.DISPATCHED and AppealEvent.objects.filter(appeal=appeal).count() == events
    assert f'name="version" value="{appeal.version}"' in html  # the page now carries the current version


def test_action_not_allowed_in_this_status_is_409(client: Client, world: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    client.force_login(world.handler)
    response = client.post(reverse("appeals:act", args=[appeal.pk]), {"action": "sign", "version": appeal.version})
    assert response.status_code == 409
    assert "不能执行「签收」" in response.content.decode()


def test_action_of_another_role_is_403(client: Client, world: Any) -> None:
    appeal = appeal_in(world, Status.ACCEPTED)
    client.force_login(world.supervisor)
    response = client.post(reverse("appeals:act", args=[appeal.pk]), {"action": "withdraw", "version": appeal.version})
    assert response.status_code == 403


def test_assisting_unit_reports_its_part(client: Client, world: Any) -> None:
    appeal = submit(world)
    from huying.appeals import services

    services.appeal_transition(actor=world.operator, appeal=appeal, action=Action.ACCEPT)
    services.appeal_transition(
        actor=world.operator,
        appeal=appeal.pk,
        action=Action.DISPATCH,
        lead_unit=world.urban,
        assist_units=[world.street],
    )
    client.force_login(world.street_handler)
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="assist-report-form"' in html and 'data-action="sign"' not in html
    response = client.post(
        reverse("appeals:act", args=[appeal.pk]), {"action": "assist_report", "note": "已排查现场。"}
    )
    assert response.status_code == 302
    assert AppealEvent.objects.filter(appeal=appeal, action="assist_report", note="已排查现场。").exists()


def test_operator_reveals_personal_data_once_and_it_is_logged(client: Client, world: Any) -> None:
    appeal = appeal_in(world, Status.DISPATCHED, requester_id_number="11010519491231002X")
    client.force_login(world.operator)
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="reveal-form"' in page and "110105********002X" in page
    empty = client.post(reverse("appeals:reveal", args=[appeal.pk]), {"purpose": ""})
    assert empty.status_code == 400 and "请填写查看事由" in empty.content.decode()
    response = client.post(reverse("appeals:reveal", args=[appeal.pk]), {"purpose": "回访核实"})
    html = response.content.decode()
    assert response.status_code == 200
    assert appeal.requester_phone in html and "11010519491231002X" in html
    assert AuditLog.objects.filter(kind=AuditLog.Kind.PERSONAL_DATA_VIEW).count() == 1
    assert appeal.requester_phone not in client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()


def test_confidential_requester_is_hidden_from_the_unit(client: Client, world: Any) -> None:
    appeal = appeal_in(world, Status.DISPATCHED, is_confidential=True, requester_name="举报人甲")
    client.force_login(world.handler)
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "（保密）" in html and "举报人甲" not in html and appeal.requester_phone[-4:] not in html
    response = client.post(reverse("appeals:reveal", args=[appeal.pk]), {"purpose": "想看"})
    assert response.status_code == 403


def test_board_shows_sections_with_counts_and_the_calendar_warning(client: Client, world: Any) -> None:
    returned = appeal_in(world, Status.RETURN_REQUESTED)
    waiting = submit(world)
    client.force_login(world.supervisor)
    with mock.patch("huying.appeals.web.views.workbench.provisional_years", return_value=[2031]):
        html = client.get(reverse("appeals:board")).content.decode()
    for title in ("超期工单", "退单待审核", "延期待审核", "回访不满意", "待派单", "待回访"):
        assert title in html
    assert returned.number in html and waiting.number in html
    assert 'id="section-returns"' in html and 'data-count="1"' in html
    assert "2031年节假日安排尚未录入" in html
    with mock.patch("huying.appeals.web.views.workbench.provisional_years", return_value=[]):
        assert 'id="calendar-warning"' not in client.get(reverse("appeals:board")).content.decode()


def test_home_sends_staff_to_their_pages(client: Client, world: Any) -> None:
    client.force_login(world.operator)
    assert client.get("/")["Location"] == reverse("appeals:workbench")

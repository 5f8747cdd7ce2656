"""Citizen pages: submit, repeat detection, bad input, tracking by SMS code, progress and follow-up."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from huying.appeals.models import Appeal, Attachment
from huying.appeals.states import Channel, Status
from huying.appeals.tests.factories import appeal_in, submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CONTENT = "我家楼下的工地每天夜里十二点以后还在施工，噪音很大，影响休息，希望有关部门管一管。"


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "appeal_type": "complaint",
        "category": "",
        "title": "",
        "content": CONTENT,
        "address": "滨城区黄河五路88号",
        "requester_name": "王五",
        "requester_phone": "13712345678",
        "requester_id_number": "",
    }
    data.update(overrides)
    return data


def test_home_for_the_public(client: Client, db: Any) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "民有所呼，我有所应" in html
    assert reverse("appeals:new") in html and reverse("appeals:track") in html


def test_submit_page_renders_for_anonymous(client: Client, world: Any) -> None:
    response = client.get(reverse("appeals:new"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="submit-form"' in html
    assert world.cat_noise.name in html


def test_anonymous_submit_creates_a_web_appeal_and_shows_its_number(client: Client, world: Any) -> None:
    response = client.post(reverse("appeals:new"), form_data(category=world.cat_noise.pk), follow=True)
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.WEB and appeal.citizen is None and appeal.status == Status.SUBMITTED
    assert appeal.category == world.cat_noise
    html = response.content.decode()
    assert response.status_code == 200
    assert appeal.number in html and "查询进度" in html


def test_logged_in_citizen_owns_the_appeal_and_sees_it_in_mine(client: Client, world: Any) -> None:
    client.force_login(world.citizen)
    form = client.get(reverse("appeals:new")).content.decode()
    assert "13800138000" in form  # their phone is filled in
    client.post(reverse("appeals:new"), form_data(requester_phone="13800138000"))
    appeal = Appeal.objects.get()
    assert appeal.citizen == world.citizen
    mine = client.get(reverse("appeals:mine"))
    assert mine.status_code == 200 and appeal.number in mine.content.decode()


def test_repeat_submission_names_the_order_already_in_hand(client: Client, world: Any) -> None:
    lead = appeal_in(world, Status.HANDLING, phone="13712345678", content=CONTENT)
    response = client.post(reverse("appeals:new"), form_data(category=world.cat_noise.pk), follow=True)
    html = response.content.decode()
    assert "已在办理中" in html and lead.number in html and "办理中" in html
    repeat = Appeal.objects.exclude(pk=lead.pk).get()
    assert repeat.status == Status.MERGED and repeat.merged_into == lead


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"requester_phone": "12345"}, "电话号码格式不正确"),
        ({"requester_id_number": "110101199003070000"}, "身份证号码无效"),
        ({"content": "   "}, "请填写诉求内容"),
        ({"requester_phone": ""}, "请填写联系电话"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_creates_nothing(
    client: Client, world: Any, overrides: dict[str, str], message: str
) -> None:
    response = client.post(reverse("appeals:new"), form_data(**overrides))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and 'class="field-error"' in html
    assert "滨城区黄河五路88号" in html  # what the person typed is kept
    assert not Appeal.objects.exists()


def test_unsupported_attachment_is_refused(client: Client, world: Any) -> None:
    upload = SimpleUploadedFile("note.txt", b"just some text", content_type="text/plain")
    response = client.post(reverse("appeals:new"), {**form_data(), "attachments": upload})
    assert response.status_code == 400
    assert "附件类型不支持" in response.content.decode()
    assert not Appeal.objects.exists()


@override_settings(HUYING_ATTACHMENT_MAX_BYTES=1024 * 1024)
def test_oversized_attachment_is_refused(client: Client, world: Any) -> None:
    upload = SimpleUploadedFile("big.png", PNG + b"\x00" * (1024 * 1024), content_type="image/png")
    response = client.post(reverse("appeals:new"), {**form_data(), "attachments": upload})
    assert response.status_code == 400
    assert "附件不能超过1MB" in response.content.decode()
    assert not Appeal.objects.exists()


def test_photo_is_stored_with_the_appeal(client: Client, world: Any) -> None:
    upload = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    client.post(reverse("appeals:new"), {**form_data(), "attachments": upload})
    attachment = Attachment.objects.get()
    assert attachment.original_name == "现场.png" and attachment.content_type == "image/png"


def _send_code(client: Client, appeal: Appeal, phone: str, capture: Any) -> str:
    with mock.patch("huying.appeals.services.send_sms") as sms, capture(execute=True):
        response = client.post(reverse("appeals:track"), {"step": "send", "number": appeal.number, "phone": phone})
    assert response.status_code == 200
    assert 'id="track-verify-form"' in response.content.decode()
    text = sms.call_args.kwargs["text"]
    match = re.search(r"验证码为 (\d{6})", text)
    assert match, text
    return match.group(1)


def test_tracking_with_the_sms_code_opens_the_progress_page(
    client: Client, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    appeal = appeal_in(world, Status.HANDLING, phone="13712345678")
    assert client.get(reverse("appeals:public_detail", args=[appeal.pk])).status_code == 302  # not yet
    code = _send_code(client, appeal, "13712345678", django_capture_on_commit_callbacks)
    response = client.post(reverse("appeals:track"), {"step": "verify", "number": appeal.number, "code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:public_detail", args=[appeal.pk])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert appeal.number in html and "签收" in html and "提交诉求" in html and 'id="timeline"' in html
    assert "王坐席" not in html and "李承办" not in html  # staff are never named to the public


def test_tracking_with_a_wrong_code_says_so(
    client: Client, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    appeal = appeal_in(world, Status.HANDLING, phone="13712345678")
    code = _send_code(client, appeal, "13712345678", django_capture_on_commit_callbacks)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(reverse("appeals:track"), {"step": "verify", "number": appeal.number, "code": wrong})
    assert response.status_code == 400
    assert "验证码不正确" in response.content.decode()
    assert appeal.pk not in client.session.get("appeals_tracked", [])


def test_tracking_with_a_bad_phone_shows_the_message(client: Client, world: Any) -> None:
    response = client.post(reverse("appeals:track"), {"step": "send", "number": "20250101000001", "phone": "abc"})
    assert response.status_code == 400
    assert "电话号码格式不正确" in response.content.decode()


def test_tracker_follows_up_for_the_account_holder(
    client: Client, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    appeal = appeal_in(world, Status.REPLIED, citizen=world.citizen, phone="13800138000")
    code = _send_code(client, appeal, "13800138000", django_capture_on_commit_callbacks)
    client.post(reverse("appeals:track"), {"step": "verify", "number": appeal.number, "code": code})
    page = client.get(reverse("appeals:public_detail", args=[appeal.pk])).content.decode()
    assert 'id="follow-up-form"' in page and "已责令施工单位夜间停工" in page
    response = client.post(
        reverse("appeals:public_follow_up", args=[appeal.pk]),
        {"resolution": "resolved", "satisfaction": "satisfied", "version": appeal.version},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.satisfaction == "satisfied"


def test_tracker_without_an_account_only_sees_the_reply(
    client: Client, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    appeal = appeal_in(world, Status.REPLIED, phone="13712345678")
    code = _send_code(client, appeal, "13712345678", django_capture_on_commit_callbacks)
    client.post(reverse("appeals:track"), {"step": "verify", "number": appeal.number, "code": code})
    page = client.get(reverse("appeals:public_detail", args=[appeal.pk])).content.decode()
    assert 'id="follow-up-form"' not in page and 'id="awaiting-call"' in page
    response = client.post(
        reverse("appeals:public_follow_up", args=[appeal.pk]), {"resolution": "resolved", "satisfaction": "satisfied"}
    )
    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED


def test_citizen_follows_up_their_own_appeal(client: Client, world: Any) -> None:
    appeal = appeal_in(world, Status.REPLIED, citizen=world.citizen)
    client.force_login(world.citizen)
    response = client.post(
        reverse("appeals:public_follow_up", args=[appeal.pk]),
        {"resolution": "unresolved", "satisfaction": "unsatisfied", "version": appeal.version},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.UNSATISFIED


def test_citizen_cannot_open_another_citizens_appeal(client: Client, world: Any) -> None:
    theirs = submit(world, citizen=world.other_citizen)
    client.force_login(world.citizen)
    response = client.get(reverse("appeals:public_detail", args=[theirs.pk]))
    assert response.status_code == 404
    assert "记录不存在或您无权查看" in response.content.decode()
    # The staff detail sends a citizen to the progress page, which refuses the same way.
    assert client.get(reverse("appeals:detail", args=[theirs.pk]), follow=True).status_code == 404
    mine = client.get(reverse("appeals:mine")).content.decode()
    assert theirs.number not in mine


def test_citizen_sees_own_progress_and_attachment(client: Client, world: Any) -> None:
    client.force_login(world.citizen)
    upload = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    client.post(reverse("appeals:new"), {**form_data(requester_phone="13800138000"), "attachments": upload})
    appeal = Appeal.objects.get()
    page = client.get(reverse("appeals:public_detail", args=[appeal.pk]))
    assert page.status_code == 200
    attachment = appeal.attachments.get()
    file_response = client.get(reverse("appeals:attachment", args=[appeal.pk, attachment.pk]))
    assert file_response.status_code == 200 and file_response["Content-Type"] == "image/png"
    client.force_login(world.other_citizen)
    assert client.get(reverse("appeals:attachment", args=[appeal.pk, attachment.pk])).status_code == 404


def test_mine_requires_login(client: Client, db: Any) -> None:
    response = client.get(reverse("appeals:mine"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_merged_repeat_gets_the_lead_orders_reply(
    client: Client, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from huying.appeals import services

    lead = appeal_in(world, Status.HANDLING, phone="13712345678", content=CONTENT)
    client.post(reverse("appeals:new"), form_data(category=world.cat_noise.pk, requester_phone="13900001111"))
    repeat = Appeal.objects.exclude(pk=lead.pk).get()  # a neighbour: same matter, another caller
    services.appeal_transition(actor=world.operator, appeal=repeat, action="merge", merge_into=lead)
    with (
        mock.patch("huying.appeals.services.send_sms") as sms,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.appeal_transition(
            actor=world.handler, appeal=lead, action="reply", note="已责令施工单位夜间停工，执法人员连续三晚巡查。"
        )
    assert {c.kwargs["phone"] for c in sms.call_args_list} == {"13712345678", "13900001111"}
    code = _send_code(client, repeat, "13900001111", django_capture_on_commit_callbacks)
    client.post(reverse("appeals:track"), {"step": "verify", "number": repeat.number, "code": code})
    html = client.get(reverse("appeals:public_detail", args=[repeat.pk])).content.decode()
    assert 'id="lead-reply"' in html and "执法人员连续三晚巡查" in html and lead.number in html


def test_database_busy_shows_a_try_again_page_not_a_server_error(client: Client, world: Any) -> None:
    from django.db.utils import OperationalError

    locked = OperationalError("database is locked")
    with mock.patch("huying.appeals.services.appeal_submit", side_effect=locked):
        response = client.post(reverse("appeals:new"), form_data(category=world.cat_noise.pk))
    assert response.status_code == 503
    assert "系统繁忙，本次操作没有保存，请稍后重试。" in response.content.decode()
    assert not Appeal.objects.exists()


def test_other_database_errors_are_not_disguised_as_busy() -> None:
    from django.db.utils import OperationalError

    from huying.core.errors import busy_database_error

    assert busy_database_error(OperationalError("no such table: appeals_appeal")) is None
    assert busy_database_error(ValueError("database is locked")) is None
    assert busy_database_error(OperationalError("database is locked")) is not None

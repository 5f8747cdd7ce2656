"""The appeal services: repeats, follow-up and re-handling, returns, notes, intake validation, attachments."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from huying.appeals import services
from huying.appeals.models import Appeal, AppealEvent, Attachment
from huying.appeals.states import Action, AppealType, Channel, Resolution, Satisfaction, Status
from huying.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed

from .factories import appeal_in

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
POTHOLE = "黄河五路渤海七路路口有一个大坑，电动车经过容易摔倒，希望尽快修补。"


def snapshot(appeal: Appeal) -> tuple[Any, ...]:
    fresh = Appeal.objects.get(pk=appeal.pk)
    return fresh.status, fresh.version, AppealEvent.objects.filter(appeal=appeal).count()


def intake(world: Any, **kw: Any) -> services.IntakeResult:
    fields: dict[str, Any] = {
        "channel": Channel.HOTLINE,
        "appeal_type": AppealType.COMPLAINT,
        "content": POTHOLE,
        "requester_name": "王五",
        "requester_phone": PHONE,
        "category": world.cat_road,
    }
    fields.update(kw)
    return services.appeal_submit(actor=world.operator, **fields)


# --- repeats (并单) ---------------------------------------------------------------------------


def test_same_caller_same_matter_while_open_is_merged(world: Any) -> None:
    lead = appeal_in(world, Status.HANDLING, phone=PHONE, content=POTHOLE, category=world.cat_road)
    result = intake(world, content="再次反映：黄河五路渤海七路路口的大坑还没修，电动车经过容易摔倒。")
    assert result.repeat_of is not None and result.repeat_of.pk == lead.pk
    repeat = Appeal.objects.get(pk=result.appeal.pk)
    assert (repeat.status, repeat.merged_into_id) == (Status.MERGED, lead.pk)
    fresh_lead = Appeal.objects.get(pk=lead.pk)
    assert fresh_lead.repeat_count == 1
    assert fresh_lead.status == Status.HANDLING  # the lead's work goes on untouched
    assert AppealEvent.objects.filter(appeal=lead, action="repeat_linked", data__repeat=repeat.number).exists()
    assert AppealEvent.objects.filter(appeal=repeat, action=Action.MERGE).exists()


def test_same_caller_different_matter_is_not_merged(world: Any) -> None:
    appeal_in(world, Status.HANDLING, phone=PHONE, content=POTHOLE, category=world.cat_road)
    result = intake(world, content="家里暖气片一直不热，室温只有十五度，老人孩子受不了。", category=world.cat_heating)
    assert result.repeat_of is None
    assert result.appeal.status == Status.SUBMITTED


def test_a_closed_lead_is_not_merged_into(world: Any) -> None:
    appeal_in(world, Status.CLOSED, phone=PHONE, content=POTHOLE, category=world.cat_road)
    result = intake(world)
    assert result.repeat_of is None
    assert result.appeal.status == Status.SUBMITTED


# --- follow-up, re-handling ----------------------------------------------------------------


def test_unsatisfied_follow_up_reopens_and_closes_on_the_second_round(world: Any) -> None:
    appeal = appeal_in(world, Status.REPLIED)
    appeal = services.appeal_transition(
        actor=world.operator,
        appeal=appeal,
        action=Action.FOLLOW_UP,
        resolution=Resolution.UNRESOLVED,
        satisfaction=Satisfaction.UNSATISFIED,
    )
    assert appeal.status == Status.UNSATISFIED and appeal.closed_at is None
    appeal = services.appeal_transition(actor=world.operator, appeal=appeal, action=Action.REOPEN, note="未解决，重办")
    assert appeal.status == Status.HANDLING and appeal.replied_at is None and appeal.due_at is not None
    appeal = services.appeal_transition(actor=world.handler, appeal=appeal, action=Action.REPLY, note="已彻底修复")
    appeal = services.appeal_transition(
        actor=world.operator,
        appeal=appeal,
        action=Action.FOLLOW_UP,
        resolution=Resolution.RESOLVED,
        satisfaction=Satisfaction.SATISFIED,
    )
    fresh = Appeal.objects.get(pk=appeal.pk)
    assert (fresh.status, fresh.rehandle_count, fresh.satisfaction) == (Status.CLOSED, 1, Satisfaction.SATISFIED)
    assert fresh.closed_at is not None


@pytest.mark.parametrize(
    ("resolution", "satisfaction", "expected"),
    [
        (Resolution.RESOLVED, Satisfaction.SATISFIED, Status.CLOSED),
        (Resolution.PARTLY, Satisfaction.BASICALLY, Status.CLOSED),
        (Resolution.UNRESOLVED, Satisfaction.BASICALLY, Status.UNSATISFIED),
        (Resolution.RESOLVED, Satisfaction.UNSATISFIED, Status.UNSATISFIED),
    ],
)
def test_follow_up_closes_unless_unresolved_or_unsatisfied(
    world: Any, resolution: str, satisfaction: str, expected: str
) -> None:
    appeal = appeal_in(world, Status.REPLIED)
    appeal = services.appeal_transition(
        actor=world.operator, appeal=appeal, action=Action.FOLLOW_UP, resolution=resolution, satisfaction=satisfaction
    )
    assert appeal.status == expected
    assert (appeal.closed_at is not None) == (expected == Status.CLOSED)


def test_follow_up_needs_valid_answers(world: Any) -> None:
    appeal = appeal_in(world, Status.REPLIED)
    before = snapshot(appeal)
    with pytest.raises(ValidationFailed):
        services.appeal_transition(actor=world.operator, appeal=appeal, action=Action.FOLLOW_UP)
    with pytest.raises(ValidationFailed):
        services.appeal_transition(
            actor=world.operator, appeal=appeal, action=Action.FOLLOW_UP, resolution="done", satisfaction="ok"
        )
    assert snapshot(appeal) == before


# --- returns (退单) -------------------------------------------------------------------------


def test_approved_return_redispatches_to_a_new_unit_that_must_sign(world: Any) -> None:
    appeal = appeal_in(world, Status.RETURN_REQUESTED)
    appeal = services.appeal_transition(
        actor=world.operator, appeal=appeal, action=Action.APPROVE_RETURN, note="改派住建局", lead_unit=world.housing
    )
    assert (appeal.status, appeal.lead_unit_id, appeal.signed_at) == (Status.DISPATCHED, world.housing.pk, None)
    active = set(appeal.assignments.filter(is_active=True).values_list("unit_id", flat=True))
    assert active == {world.housing.pk}
    before = snapshot(appeal)
    with pytest.raises((PermissionDenied, NotFound)):
        services.appeal_transition(actor=world.handler, appeal=appeal, action=Action.SIGN)
    assert snapshot(appeal) == before
    appeal = services.appeal_transition(actor=world.housing_handler, appeal=appeal, action=Action.SIGN)
    assert appeal.status == Status.HANDLING


def test_return_cannot_be_redispatched_to_the_same_unit(world: Any) -> None:
    appeal = appeal_in(world, Status.RETURN_REQUESTED)
    before = snapshot(appeal)
    with pytest.raises(ValidationFailed):
        services.appeal_transition(
            actor=world.operator, appeal=appeal, action=Action.APPROVE_RETURN, note="改派", lead_unit=world.urban
        )
    assert snapshot(appeal) == before


def test_rejected_return_leaves_the_order_with_the_unit(world: Any) -> None:
    appeal = appeal_in(world, Status.RETURN_REQUESTED)
    appeal = services.appeal_transition(
        actor=world.operator, appeal=appeal, action=Action.REJECT_RETURN, note="属于贵单位职责"
    )
    assert (appeal.status, appeal.lead_unit_id) == (Status.HANDLING, world.urban.pk)
    appeal = services.appeal_transition(actor=world.handler, appeal=appeal, action=Action.REPLY, note="已处理")
    assert appeal.status == Status.REPLIED


# --- notes, targets, extension bounds --------------------------------------------------------


def test_refer_requires_a_valid_target(world: Any) -> None:
    appeal = appeal_in(world, Status.SUBMITTED)
    before = snapshot(appeal)
    with pytest.raises(ValidationFailed) as exc:
        services.appeal_transition(actor=world.operator, appeal=appeal, action=Action.REFER, note="属于警情")
    assert "refer_target" in exc.value.data
    with pytest.raises(ValidationFailed):
        services.appeal_transition(
            actor=world.operator, appeal=appeal, action=Action.REFER, note="属于警情", refer_target="999"
        )
    assert snapshot(appeal) == before
    appeal = services.appeal_transition(
        actor=world.operator, appeal=appeal, action=Action.REFER, note="属于警情", refer_target="110"
    )
    assert (appeal.status, appeal.refer_target) == (Status.REFERRED, "110")


@pytest.mark.parametrize(
    ("status", "actor", "action"),
    [
        (Status.SUBMITTED, "operator", Action.REFUSE),
        (Status.SUBMITTED, "operator", Action.ANSWER),
        (Status.DISPATCHED, "handler", Action.REQUEST_RETURN),
        (Status.HANDLING, "handler", Action.REPLY),
        (Status.HANDLING, "handler", Action.SUSPEND),
        (Status.UNSATISFIED, "operator", Action.REOPEN),
        (Status.HANDLING, "supervisor", Action.SUPERVISE),
    ],
)
def test_a_note_is_required_where_the_table_says(world: Any, status: str, actor: str, action: str) -> None:
    appeal = appeal_in(world, status)
    before = snapshot(appeal)
    with pytest.raises(ValidationFailed) as exc:
        services.appeal_transition(actor=getattr(world, actor), appeal=appeal, action=action, note="   ")
    assert "note" in exc.value.data
    assert snapshot(appeal) == before


@pytest.mark.parametrize("days", [0, -1, 31, "abc", None])
def test_extension_days_out_of_bounds_are_refused(world: Any, days: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    before = snapshot(appeal)
    with pytest.raises(ValidationFailed):
        services.appeal_transition(
            actor=world.handler, appeal=appeal, action=Action.REQUEST_EXTENSION, note="需要时间", extension_days=days
        )
    assert snapshot(appeal) == before


@pytest.mark.parametrize("days", [1, 30])
def test_extension_days_within_bounds_are_accepted(world: Any, days: int) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    appeal = services.appeal_transition(
        actor=world.handler, appeal=appeal, action=Action.REQUEST_EXTENSION, note="需要时间", extension_days=days
    )
    assert appeal.status == Status.EXTENSION_REQUESTED


# --- intake validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"requester_phone": "12345"}, "requester_phone"),
        ({"requester_id_number": "360426199101010072"}, "requester_id_number"),
        ({"content": "   "}, "content"),
        ({"content": "字" * 5001}, "content"),
        ({"requester_phone": "", "is_anonymous": False}, "requester_phone"),
        ({"channel": "fax"}, "channel"),
        ({"appeal_type": "praise"}, "appeal_type"),
    ],
)
def test_invalid_intake_creates_nothing(world: Any, fields: dict[str, Any], key: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        intake(world, **fields)
    assert key in exc.value.data
    assert not Appeal.objects.exists() and not AppealEvent.objects.exists()


def test_anonymous_is_refused_where_the_category_requires_a_real_name(world: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        intake(world, requester_phone="", requester_name="", is_anonymous=True, category=world.cat_heating)
    assert "is_anonymous" in exc.value.data
    assert not Appeal.objects.exists()
    result = intake(world, requester_phone="", requester_name="", is_anonymous=True, category=world.cat_noise)
    assert result.appeal.is_anonymous


def test_valid_intake_normalises_and_numbers(world: Any) -> None:
    result = intake(world, requester_phone="139 1234 5678", requester_id_number="37160220010101103x")
    appeal = result.appeal
    assert (appeal.requester_phone, appeal.requester_id_number) == (PHONE, "37160220010101103X")
    assert appeal.number and appeal.number.endswith(f"{appeal.pk:07d}")
    assert appeal.title  # taken from the content when none is given


# --- attachments ---------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64


def test_a_real_png_is_stored_with_its_sniffed_type(world: Any) -> None:
    upload = SimpleUploadedFile("现场照片.png", PNG, content_type="application/octet-stream")
    appeal = intake(world, attachments=[upload]).appeal
    attachment = Attachment.objects.get(appeal=appeal)
    assert (attachment.content_type, attachment.size) == ("image/png", len(PNG))


def test_an_exe_renamed_jpg_is_refused_and_nothing_is_created(world: Any) -> None:
    upload = SimpleUploadedFile("photo.jpg", EXE, content_type="image/jpeg")
    with pytest.raises(ValidationFailed) as exc:
        intake(world, attachments=[upload])
    assert exc.value.code == "attachment_type"
    assert not Appeal.objects.exists() and not Attachment.objects.exists()


@override_settings(HUYING_ATTACHMENT_MAX_BYTES=32)
def test_an_oversized_attachment_is_refused(world: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        intake(world, attachments=[SimpleUploadedFile("big.png", PNG)])
    assert exc.value.code == "attachment_too_large"
    assert not Appeal.objects.exists()


def test_an_empty_attachment_is_refused(world: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        intake(world, attachments=[SimpleUploadedFile("empty.png", b"")])
    assert exc.value.code == "attachment_empty"


def test_factories_reach_every_status_through_the_services(world: Any) -> None:
    for status in Status:
        assert appeal_in(world, status).status == status


def test_manual_merge_counts_the_repeat_on_the_lead(world: Any) -> None:
    lead = appeal_in(world, Status.HANDLING)
    repeat = appeal_in(world, Status.ACCEPTED)
    services.appeal_transition(actor=world.operator, appeal=repeat, action=Action.MERGE, merge_into=lead.number)
    lead.refresh_from_db()
    assert lead.repeat_count == 1
    assert lead.events.filter(action="repeat_linked").exists()


def test_a_return_request_counts_as_a_response_and_redispatch_restarts_it(world: Any) -> None:
    appeal = appeal_in(world, Status.RETURN_REQUESTED)
    assert appeal.is_signed_on_time is True
    appeal = services.appeal_transition(
        actor=world.operator, appeal=appeal, action=Action.APPROVE_RETURN, note="改派住建局", lead_unit=world.housing
    )
    assert (appeal.is_signed_on_time, appeal.signed_at) == (None, None)
    appeal = services.appeal_transition(actor=world.housing_handler, appeal=appeal, action=Action.SIGN)
    assert appeal.is_signed_on_time is True


def test_assist_report_refused_once_closed(world: Any) -> None:
    appeal = appeal_in(world, Status.CLOSED)
    with pytest.raises(InvalidTransition):
        services.appeal_assist_report(actor=world.operator, appeal_id=appeal.pk, note="补充意见")


@pytest.mark.parametrize(
    ("content", "title"),
    [
        ("路灯不亮。请尽快修理", "路灯不亮"),
        (
            "滨城区黄河社区3号楼旁的工地每晚十点后还在施工，噪音很大，已经持续一周，希望尽快处理。",
            "滨城区黄河社区3号楼旁的工地每晚十点后还在施工，噪音很大…",
        ),
        ("一" * 40, "一" * 29 + "…"),
    ],
)
def test_default_title_is_the_first_clause_cut_at_punctuation(content: str, title: str) -> None:
    assert services.default_title(content) == title
    assert len(services.default_title(content)) <= 30

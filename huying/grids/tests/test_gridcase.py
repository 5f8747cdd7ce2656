"""The grid case loop on the appeal loop's table: 自行处置 by the reporting grid worker, and on-site
verification (核查) of a unit's reply by a grid worker who did not reply."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huying.accounts.models import RoleAssignment
from huying.accounts.roles import Role
from huying.accounts.selectors import actor_for
from huying.appeals import errors as appeal_errors
from huying.appeals import services as appeal_services
from huying.appeals.models import Appeal, AppealEvent, Attachment, TimeLimitRule
from huying.appeals.permissions import actor_roles_for, allowed_actions, allowed_transitions, visible_appeals_q
from huying.appeals.states import GRID_REPORTER, GRID_WORKER, Action, AppealType, Channel, Status
from huying.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.core.workdays import WorkCalendar
from huying.grids import services
from huying.grids.models import GridStaff

from .factories import build, user

pytestmark = pytest.mark.django_db


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def photo(name: str = "after.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def g(world: Any) -> Any:
    g = build(world)
    g.world = world
    # A second worker of the west grid: verifies what the first reported and the unit replied.
    g.partner = user("qianwei")
    services.grid_staff_add(
        actor=None, grid=g.west, kind=GridStaff.Kind.PART_TIME, name="钱伟", phone="13905430000", user=g.partner
    )
    return g


def report(g: Any, reporter: Any = None, channel: str = Channel.GRID) -> Appeal:
    return appeal_services.appeal_submit(
        actor=reporter or g.worker,
        channel=channel,
        appeal_type=AppealType.REPORT,
        content="黄河路3号门前井盖破损，行人有跌落危险，请尽快处理。",
        category=g.world.cat_road,
        requester_name="赵锋",
        requester_phone="13905431234",
        latitude="37.005",
        longitude="118.005",
        grid_code=g.west.code,
        detect_repeat=False,
        auto_dispatch=False,
    ).appeal


def act(actor: Any, appeal: Appeal, action: str, **kw: Any) -> Appeal:
    return appeal_services.appeal_transition(actor=actor, appeal=appeal.pk, action=action, **kw)


def to_replied(g: Any, appeal: Appeal, replier: Any = None) -> Appeal:
    w = g.world
    act(w.operator, appeal, Action.ACCEPT)
    act(w.operator, appeal, Action.DISPATCH, lead_unit=w.urban.pk)
    act(w.handler, appeal, Action.SIGN)
    return act(replier or w.handler, appeal, Action.REPLY, note="井盖已更换")


def test_roles_come_from_the_grid_layer(g: Any) -> None:
    appeal = report(g)
    assert {GRID_WORKER, GRID_REPORTER} <= actor_roles_for(actor_for(g.worker), appeal)
    assert actor_roles_for(actor_for(g.partner), appeal) & {GRID_WORKER, GRID_REPORTER} == {GRID_WORKER}
    assert not actor_roles_for(actor_for(g.east_worker), appeal) & {GRID_WORKER, GRID_REPORTER}
    # The grid's staff see the appeals raised in their grid; another grid's worker does not.
    assert Appeal.objects.filter(visible_appeals_q(actor_for(g.partner)), pk=appeal.pk).exists()
    assert not Appeal.objects.filter(visible_appeals_q(actor_for(g.east_worker)), pk=appeal.pk).exists()
    assert Action.SELF_HANDLE in {t.action for t in allowed_transitions(actor_for(g.worker), appeal)}
    assert Action.SELF_HANDLE not in {t.action for t in allowed_transitions(actor_for(g.partner), appeal)}
    # Not a plain button on the staff pages: the worker's phone page takes the after-photo.
    assert Action.SELF_HANDLE not in allowed_actions(actor_for(g.worker), appeal)


def test_self_handled_on_the_spot_with_an_after_photo(g: Any) -> None:
    appeal = report(g)
    with pytest.raises(ValidationFailed) as missing:
        act(g.worker, appeal, Action.SELF_HANDLE, note="已现场盖好井盖")
    assert missing.value.code == appeal_errors.PHOTO_REQUIRED
    with pytest.raises(ValidationFailed):
        act(g.worker, appeal, Action.SELF_HANDLE, note="")
    done = act(g.worker, appeal, Action.SELF_HANDLE, note="已现场盖好井盖", photo=photo())
    assert done.status == Status.CLOSED and done.closed_at is not None
    event = AppealEvent.objects.get(appeal=appeal, action=Action.SELF_HANDLE)
    assert Attachment.objects.filter(appeal=appeal, pk=event.data["after_photo"]).exists()


def test_self_handle_refused_to_others_and_off_the_grid_channel(g: Any) -> None:
    appeal = report(g)
    for other in (g.partner, g.world.operator, g.world.handler):
        with pytest.raises((PermissionDenied, NotFound)):
            act(other, appeal, Action.SELF_HANDLE, note="处理", photo=photo())
    with pytest.raises(NotFound):
        act(g.east_worker, appeal, Action.SELF_HANDLE, note="处理", photo=photo())
    visit_channel = report(g, channel=Channel.VISIT)
    with pytest.raises(PermissionDenied):
        act(g.worker, visit_channel, Action.SELF_HANDLE, note="处理", photo=photo())
    accepted = report(g)
    act(g.world.operator, accepted, Action.ACCEPT)
    with pytest.raises(InvalidTransition):
        act(g.worker, accepted, Action.SELF_HANDLE, note="处理", photo=photo())
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED


def test_a_reply_on_a_grid_report_waits_for_verification(g: Any) -> None:
    appeal = to_replied(g, report(g))
    assert appeal.status == Status.VERIFYING
    with pytest.raises(InvalidTransition):
        act(g.world.operator, appeal, Action.FOLLOW_UP, resolution="resolved", satisfaction="satisfied")
    with pytest.raises(ValidationFailed) as missing:
        act(g.partner, appeal, Action.VERIFY_PASS)
    assert missing.value.code == appeal_errors.PHOTO_REQUIRED
    for outsider in (g.world.handler, g.world.operator):
        with pytest.raises(PermissionDenied):
            act(outsider, appeal, Action.VERIFY_PASS, photo=photo())
    with pytest.raises(NotFound):
        act(g.east_worker, appeal, Action.VERIFY_PASS, photo=photo())
    closed = act(g.partner, appeal, Action.VERIFY_PASS, note="现场已修复", photo=photo())
    assert closed.status == Status.CLOSED and closed.closed_at is not None
    event = AppealEvent.objects.get(appeal=appeal, action=Action.VERIFY_PASS)
    assert event.actor_id == g.partner.pk and event.data["after_photo"]


def test_a_12345_reply_is_not_verified_on_site(g: Any) -> None:
    appeal = to_replied(g, report(g, channel=Channel.VISIT))
    assert appeal.status == Status.REPLIED
    with pytest.raises(InvalidTransition):
        act(g.partner, appeal, Action.VERIFY_PASS, photo=photo())


def test_failed_verification_goes_back_to_the_unit_with_the_reason(g: Any) -> None:
    appeal = to_replied(g, report(g))
    with pytest.raises(ValidationFailed):
        act(g.partner, appeal, Action.VERIFY_FAIL, note="")
    back = act(g.partner, appeal, Action.VERIFY_FAIL, note="井盖仍松动，未固定")
    assert back.status == Status.HANDLING and back.rehandle_count == 1 and back.replied_at is None
    assert back.due_at is not None and back.due_at > timezone.now()
    assert AppealEvent.objects.get(appeal=appeal, action=Action.VERIFY_FAIL).data["reason"] == "井盖仍松动，未固定"
    assert Action.REPLY in allowed_actions(actor_for(g.world.handler), back)
    again = act(g.world.handler, back, Action.REPLY, note="已重新固定井盖")
    assert again.status == Status.VERIFYING


def test_the_verifier_is_not_the_one_who_replied(g: Any) -> None:
    # A grid worker who also holds the unit's handler post replies; they cannot verify their own reply.
    w = g.world
    RoleAssignment.objects.create(user=g.partner, role=Role.HANDLER, org_unit=w.urban)
    appeal = to_replied(g, report(g), replier=g.partner)
    assert appeal.status == Status.VERIFYING
    with pytest.raises(PermissionDenied) as refused:
        act(g.partner, appeal, Action.VERIFY_PASS, photo=photo())
    assert refused.value.code == appeal_errors.VERIFIER_IS_HANDLER
    with pytest.raises(PermissionDenied):
        act(g.partner, appeal, Action.VERIFY_FAIL, note="自己核查自己")
    assert act(g.worker, appeal, Action.VERIFY_PASS, photo=photo()).status == Status.CLOSED


def test_limits_per_event_class_in_working_hours(g: Any) -> None:
    TimeLimitRule.objects.create(category=g.world.cat_road, urgency="general", amount=4, unit="work_hours")
    appeal = report(g)
    act(g.world.operator, appeal, Action.ACCEPT)
    dispatched = act(g.world.operator, appeal, Action.DISPATCH, lead_unit=g.world.urban.pk)
    assert dispatched.time_limit_unit == TimeLimitRule.Unit.WORK_HOURS
    assert dispatched.due_at is not None and dispatched.due_at > dispatched.dispatched_at


def test_working_hours_skip_evenings_weekends_and_holidays() -> None:
    calendar = WorkCalendar(overrides={})
    tz = timezone.get_current_timezone()

    def at(*args: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime(*args), tz)

    # Monday 2025-12-01 16:00 + 2 working hours → Tuesday 10:00
    assert calendar.deadline_in_working_hours(at(2025, 12, 1, 16), 2) == at(2025, 12, 2, 10)
    # Friday 2025-12-05 15:00 + 4 → Monday 11:00
    assert calendar.deadline_in_working_hours(at(2025, 12, 5, 15), 4) == at(2025, 12, 8, 11)
    # Before office hours: counted from 09:00; 8 hours fill one working day exactly
    assert calendar.deadline_in_working_hours(at(2025, 12, 1, 6), 8) == at(2025, 12, 1, 17)
    # 2025-09-30 (Tue) 16:00 + 2 → National Day holiday skipped → 2025-10-09 10:00 (Thursday)
    assert calendar.deadline_in_working_hours(at(2025, 9, 30, 16), 2) == at(2025, 10, 9, 10)

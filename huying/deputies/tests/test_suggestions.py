"""Suggestions through the services: one matter, assignment, objection and re-assignment by the
assigning body only, the 6-month ceiling, A–D replies, satisfaction and the re-reply."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from huying.deputies import errors, figures, states
from huying.deputies.services import suggestions as services

from .factories import build

pytestmark = pytest.mark.django_db


def _assigned(world: Any, d: Any, now: dt.datetime | None = None) -> Any:
    s = services.suggestion_create(actor=d.deputy_user, title="黄河路增设公交站", content="建议在黄河路增设公交站。")
    with pytest.raises(ValidationFailed) as two:
        services.suggestion_assign(
            actor=d.staff, suggestion_id=s.pk, version=0, lead_unit=world.urban, single_matter=False
        )
    assert two.value.code == errors.NOT_SINGLE_MATTER
    return services.suggestion_assign(
        actor=d.staff, suggestion_id=s.pk, version=0, lead_unit=world.urban, single_matter=True, now=now
    )


def test_only_the_assigning_body_reassigns_after_an_objection(world: Any) -> None:
    d = build(world)
    s = _assigned(world, d)
    with pytest.raises(ValidationFailed) as self_return:
        services.suggestion_reassign(
            actor=world.handler, suggestion_id=s.pk, version=s.version, lead_unit=world.housing, note="不归我们"
        )
    assert self_return.value.code == errors.UNIT_SELF_RETURN
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(actor=world.housing_handler, suggestion_id=s.pk, version=s.version)
    s = services.suggestion_object(actor=world.handler, suggestion_id=s.pk, version=s.version, reason="公交站属住建")
    s = services.suggestion_reassign(
        actor=d.staff, suggestion_id=s.pk, version=s.version, lead_unit=world.housing, note="改由住建局主办"
    )
    assert s.status == states.ASSIGNED and s.lead.unit == world.housing
    with pytest.raises(PermissionDenied):  # the old unit has no say any more
        services.suggestion_accept(actor=world.handler, suggestion_id=s.pk, version=s.version)
    s = services.suggestion_accept(actor=world.housing_handler, suggestion_id=s.pk, version=s.version)
    assert s.status == states.HANDLING


def test_a_reply_after_six_months_needs_an_approved_extension(world: Any) -> None:
    d = build(world)
    assigned = timezone.now() - dt.timedelta(days=200)
    s = _assigned(world, d, now=assigned)
    s = services.suggestion_accept(actor=world.handler, suggestion_id=s.pk, version=s.version)
    with pytest.raises(ValidationFailed) as late:
        services.suggestion_reply(
            actor=world.handler,
            suggestion_id=s.pk,
            version=s.version,
            reply_class="A",
            reply_mode="written",
            text="已办",
        )
    assert late.value.code == errors.CEILING_PASSED
    with pytest.raises(ValidationFailed) as too_long:
        services.suggestion_extend(
            actor=d.staff, suggestion_id=s.pk, version=s.version, until=timezone.localdate() + dt.timedelta(days=30),
            approval="主任会议同意",
        )  # fmt: skip
    assert too_long.value.code == errors.EXTENSION_TOO_LONG


def test_reply_dissatisfied_rereply_and_close(world: Any) -> None:
    d = build(world)
    s = _assigned(world, d)
    s = services.suggestion_accept(actor=world.handler, suggestion_id=s.pk, version=s.version)
    with pytest.raises(ValidationFailed):
        services.suggestion_reply(
            actor=world.handler, suggestion_id=s.pk, version=s.version, reply_class="E", reply_mode="written", text="x"
        )
    s = services.suggestion_reply(
        actor=world.handler,
        suggestion_id=s.pk,
        version=s.version,
        reply_class="C",
        reply_mode="written",
        text="明年考虑",
    )
    with pytest.raises(ValidationFailed) as unexplained:
        services.suggestion_feedback(
            actor=d.deputy_user, suggestion_id=s.pk, version=s.version, attitude="satisfied", result="dissatisfied"
        )
    assert unexplained.value.code == errors.SATISFACTION_REQUIRED
    with pytest.raises(PermissionDenied):
        services.suggestion_feedback(
            actor=world.handler, suggestion_id=s.pk, version=s.version, attitude="satisfied", result="satisfied"
        )
    s = services.suggestion_feedback(
        actor=d.deputy_user, suggestion_id=s.pk, version=s.version, attitude="satisfied", result="dissatisfied",
        note="群众出行困难，不能等到明年",
    )  # fmt: skip
    assert s.status == states.REHANDLING and s.rereply_due_at is not None
    s = services.suggestion_reply(
        actor=world.handler,
        suggestion_id=s.pk,
        version=s.version,
        reply_class="B",
        reply_mode="in_person",
        text="本季度施工",
    )
    s = services.suggestion_feedback(
        actor=d.deputy_user, suggestion_id=s.pk, version=s.version, attitude="satisfied", result="basic"
    )
    assert s.status == states.FOLLOWING  # B class: followed until delivered
    with pytest.raises(InvalidTransition):
        services.suggestion_reply(
            actor=world.handler, suggestion_id=s.pk, version=s.version, reply_class="A", reply_mode="written", text="x"
        )
    s = services.suggestion_delivered(actor=world.handler, suggestion_id=s.pk, version=s.version, note="公交站已启用")
    assert s.status == states.CLOSED and s.reply_count == 2
    f = figures.suggestion_figures()
    assert (f["reply_rate"], f["delivery_rate"], f["satisfaction_rate"]) == (100.0, 100.0, 100.0)


def test_co_handlers_give_their_view_to_the_lead_unit(world: Any) -> None:
    d = build(world)
    s = services.suggestion_create(actor=d.deputy_user, title="老旧小区加装电梯", content="建议加装电梯。")
    s = services.suggestion_assign(
        actor=d.staff,
        suggestion_id=s.pk,
        version=0,
        lead_unit=world.housing,
        co_units=[world.urban],
        single_matter=True,
    )
    unit = services.suggestion_co_input(actor=world.handler, suggestion_id=s.pk, text="城管配合占道审批")
    assert unit.input_text == "城管配合占道审批" and unit.input_at is not None
    with pytest.raises(PermissionDenied):
        services.suggestion_co_input(actor=world.citizen, suggestion_id=s.pk, text="x")


def test_the_sweep_marks_suggestions_past_their_reply_date(world: Any) -> None:
    from huying.deputies.services.sweep import deputies_sweep

    d = build(world)
    s = _assigned(world, d, now=timezone.now() - dt.timedelta(days=100))
    assert deputies_sweep() == (1, 0)
    assert deputies_sweep() == (0, 0)
    s.refresh_from_db()
    assert s.is_overdue


def test_not_filed_with_a_reason_and_a_closed_one_published_redacted(world: Any) -> None:
    from django.test import Client

    d = build(world)
    s = services.suggestion_create(actor=d.deputy_user, title="为亲属调动工作", content="请帮忙。")
    s = services.suggestion_reject(actor=d.staff, suggestion_id=s.pk, version=s.version, reason="个人事务，不作为建议")
    assert s.status == states.REJECTED
    t = _assigned(world, d)
    t = services.suggestion_accept(actor=world.handler, suggestion_id=t.pk, version=t.version)
    t = services.suggestion_reply(
        actor=world.handler, suggestion_id=t.pk, version=t.version, reply_class="A", reply_mode="written", text="已建成"
    )
    services.suggestion_feedback(
        actor=d.deputy_user, suggestion_id=t.pk, version=t.version, attitude="satisfied", result="satisfied"
    )
    services.suggestion_publish(actor=d.staff, suggestion_id=t.pk, public_text="建议在黄河路增设公交站。答复：已建成。")
    page = Client().get("/deputies/suggestions/published/").content.decode()
    assert "答复：已建成" in page and "为亲属调动工作" not in page

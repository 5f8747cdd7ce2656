"""What every 办件 write shares: the plan an application follows, loading it for an actor, the one
versioned write, the event log and the decision clock."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.catalogue.models import Bundle, FormField, Material, ReviewStep, ServiceItem
from huying.catalogue.selectors import bundle_plan, item_review_stages
from huying.core.errors import ConcurrentModification, NotFound, ValidationFailed
from huying.core.notify import send_sms
from huying.core.statemachine import Transition, versioned_update
from huying.core.workdays import WorkCalendar
from huying.organisations.models import OrgUnit

from ..models import Application, ApplicationEvent, ReviewTask
from ..permissions import visible_applications_q
from ..states import Action

# Who acts: a resolved Actor, or a user whose roles are looked up.
ActorArg: TypeAlias = Actor | User

ISSUE_WORKDAYS = 10  # 行政许可法 Art. 44: certificates issued within 10 (working) days of the decision


def notice_workdays() -> int:
    return int(getattr(settings, "HUYING_CORRECTION_NOTICE_WORKDAYS", 2))


# --- what an application asks for ---------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What applying for an item or a bundle asks for: fields and materials (bundle: merged by key),
    review stages and the promised working days."""

    title: str
    unit: OrgUnit
    items: tuple[ServiceItem, ...]
    fields: tuple[FormField, ...]
    materials: tuple[Material, ...]
    review_stages: tuple[tuple[ReviewStep, ...], ...]
    promised_days: int


def plan_for(*, item: ServiceItem | None = None, bundle: Bundle | None = None) -> Plan:
    if (item is None) == (bundle is None):
        raise ValidationFailed(_("请选择一个事项或一件事。"), data={"item": _("请选择一个事项或一件事。")})
    if bundle is not None:
        bp = bundle_plan(bundle)
        if not bp.items:
            raise ValidationFailed(_("该一件事暂无可办理的事项。"), data={"bundle": _("该一件事暂无可办理的事项。")})
        return Plan(
            title=bundle.name,
            unit=bundle.lead_unit,
            items=bp.items,
            fields=bp.fields,
            materials=bp.materials,
            review_stages=bp.review_stages,
            promised_days=bp.promised_days,
        )
    assert item is not None
    return Plan(
        title=item.name,
        unit=item.unit,
        items=(item,),
        fields=tuple(item.form_fields.all()),
        materials=tuple(item.materials.all()),
        review_stages=tuple(tuple(stage) for stage in item_review_stages(item)),
        promised_days=item.promised_days,
    )


def application_plan(application: Application) -> Plan:
    return plan_for(item=application.item, bundle=application.bundle)


# --- who acts, on what ---------------------------------------------------------------------------


def _resolve(actor: ActorArg | None) -> Actor | None:
    if actor is None:
        return None
    return actor_for(actor)


def _user(actor: Actor | None) -> User | None:
    return actor.user if actor is not None else None


def _load(actor: Actor | None, application: Application | int | str) -> Application:
    """The application as the actor may see it (else NotFound), locked for the transaction."""
    qs = Application.objects.select_related("unit", "item", "bundle", "proxy", "project")
    if actor is not None:
        qs = qs.filter(visible_applications_q(actor))
    if isinstance(application, Application):
        found = qs.filter(pk=application.pk).first()
    elif isinstance(application, int):
        found = qs.filter(pk=application).first()
    else:
        found = qs.filter(number=str(application)).first()
    if found is None:
        raise NotFound()
    if transaction.get_connection().in_atomic_block:
        Application.objects.select_for_update().filter(pk=found.pk).exists()
    return found


def _check_version(application: Application | ReviewTask, expected_version: int | None) -> None:
    """Refuse at once a change made on an older version of the record (a page open since), saying
    which version and status are current."""
    if expected_version is not None and int(expected_version) != application.version:
        raise ConcurrentModification(data={"current_version": application.version, "status": application.status})


def _reviews(actor: Actor, task: ReviewTask) -> bool:
    return any(task.unit.path.startswith(p) for p in actor.unit_paths(Role.REVIEWER))


# --- writing -------------------------------------------------------------------------------------


def _write(application: Application, updates: dict[str, Any]) -> None:
    """Compare-and-set the application at the version it was read with (ConcurrentModification else)."""
    versioned_update(Application.objects.filter(pk=application.pk), expected_version=application.version, **updates)
    for key, value in updates.items():
        setattr(application, key, value)
    application.version += 1


def _event(
    application: Application,
    *,
    action: str,
    from_status: str,
    actor: User | None,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    actor_unit: OrgUnit | None = None,
    is_public: bool = True,
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        action=action,
        from_status=from_status,
        to_status=application.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_unit=actor_unit,
        note=note,
        data=data or {},
        is_public=is_public,
        created_at=now,
    )


def _tell_applicant(application: Application, text: str) -> None:
    """An SMS to the applicant's phone once the transaction commits."""
    if application.applicant_phone:
        transaction.on_commit(functools.partial(send_sms, phone=application.applicant_phone, text=text))


# --- the clock -----------------------------------------------------------------------------------


def _last_receipt(application: Application) -> dt.datetime:
    event = (
        ApplicationEvent.objects.filter(application=application, action__in=["receive", Action.RESUBMIT])
        .order_by("-created_at", "-pk")
        .first()
    )
    return event.created_at if event is not None else application.received_at


def _decision_clock(application: Application, now: dt.datetime, calendar: WorkCalendar) -> dict[str, Any]:
    used = None
    if application.accepted_at is not None:
        elapsed = calendar.workdays_between(
            timezone.localtime(application.accepted_at).date(), timezone.localtime(now).date()
        )
        used = max(elapsed - application.paused_workdays, 0)
    on_time = application.due_at is None or now <= application.due_at
    return {
        "decided_at": now,
        "is_on_time": on_time,
        "is_overdue": not on_time,
        "workdays_used": used,
        "issue_due_at": calendar.deadline_in_workdays(now, ISSUE_WORKDAYS),
    }


@dataclass
class Step:
    """One transition being taken: what the per-action handlers read, and the updates and event data
    they add before the one versioned write."""

    actor: Actor | None
    application: Application
    transition: Transition
    note: str
    now: dt.datetime
    payload: dict[str, Any]
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    updates: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def user(self) -> User | None:
        return _user(self.actor)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)


def _clean_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationFailed(
            _("请填写有效日期（如 2026-03-01）。"), data={field: _("请填写有效日期（如 2026-03-01）。")}
        ) from None

"""Writes about people: grid staff posts, household tags and visit plans, revealing a resident's data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.core.errors import NotFound, PermissionDenied, ValidationFailed
from huying.core.models import AuditLog
from huying.core.services import audit_record
from huying.core.validators import normalize_phone

from .. import errors
from ..cadence import due_on, effective_interval
from ..models import DutyType, Grid, GridStaff, GridVisitMonth, Household, Resident, Tag, VisitPlan
from ..permissions import can_manage_unit, can_reveal_personal_data, resolve, visible_households_q


def grid_staff_add(
    *,
    actor: Actor | User | AnonymousUser | None,
    grid: Grid,
    kind: str,
    name: str,
    phone: str,
    user: User | None = None,
    is_leader: bool = False,
    duties: Iterable[DutyType] = (),
    valid_from: dt.date | None = None,
) -> GridStaff:
    """A person starts serving a grid (the street or district appoints them)."""
    if not can_manage_unit(resolve(actor), grid.unit):
        raise PermissionDenied(_("您无权管理该区域的网格。"))
    if kind not in GridStaff.Kind.values:
        raise ValidationFailed(_("人员身份无效。"), data={"kind": kind})
    if not (name or "").strip():
        raise ValidationFailed(_("请填写姓名。"), data={"name": _("请填写姓名。")})
    with transaction.atomic():
        post = GridStaff.objects.create(
            grid=grid,
            user=user,
            name=name.strip()[:40],
            phone=normalize_phone(phone),
            kind=kind,
            is_leader=is_leader and kind in (GridStaff.Kind.FULL_TIME, GridStaff.Kind.PART_TIME),
            valid_from=valid_from or timezone.localdate(),
        )
        post.duties.set(list(duties))
    return post


def grid_staff_leave(*, actor: Actor | User | AnonymousUser | None, post: GridStaff, on: dt.date | None = None) -> None:
    """The post ends (kept for history); the households it looked after keep the link until reassigned."""
    if not can_manage_unit(resolve(actor), post.grid.unit):
        raise PermissionDenied(_("您无权管理该区域的网格。"))
    GridStaff.objects.filter(pk=post.pk, valid_to__isnull=True).update(valid_to=on or timezone.localdate())


def household_due_refresh(household: Household) -> dt.date:
    """Recompute and store when the household is next due, from its plan, tags and last visit."""
    plan = VisitPlan.objects.filter(household=household).values_list("interval_days", flat=True).first()
    interval = effective_interval(plan, household.tags.values_list("visit_interval_days", flat=True))
    due = due_on(
        last_visited_at=household.last_visited_at,
        interval_days=interval,
        registered_on=timezone.localdate(household.created_at),
    )
    Household.objects.filter(pk=household.pk).update(visit_due_on=due)
    household.visit_due_on = due
    return due


def grid_counts_rebuild() -> None:
    """Recompute every grid's household and resident counts and the month visit counters from the
    households (after a bulk load or a data repair; the services keep them otherwise)."""
    from django.db.models import Count, DateField, Sum
    from django.db.models.functions import TruncMonth

    with transaction.atomic():
        counts = {
            row["grid_id"]: row
            for row in Household.objects.values("grid_id").annotate(h=Count("id"), r=Sum("resident_count")).order_by()
        }
        for grid_id in Grid.objects.values_list("pk", flat=True):
            row = counts.get(grid_id, {"h": 0, "r": 0})
            Grid.objects.filter(pk=grid_id).update(household_count=row["h"], resident_count=row["r"] or 0)
        GridVisitMonth.objects.all().delete()
        months = (
            Household.objects.filter(last_visited_at__isnull=False)
            .annotate(month=TruncMonth("last_visited_at", output_field=DateField()))
            .values("grid_id", "month")
            .annotate(n=Count("id"))
            .order_by()
        )
        GridVisitMonth.objects.bulk_create(
            [GridVisitMonth(grid_id=row["grid_id"], month=row["month"], visited=row["n"]) for row in months],
            batch_size=1000,
        )


def _household_for_manager(actor: Actor | None, household: Household) -> Household:
    """Grid workers of the household's grid, or the street/district that manages it."""
    if actor is not None and not Household.objects.filter(visible_households_q(actor), pk=household.pk).exists():
        raise NotFound()
    return household


def household_tags_set(
    *, actor: Actor | User | AnonymousUser | None, household: Household, tags: Iterable[Tag]
) -> Household:
    """Replace the household's tags; its next visit date follows the new tags."""
    _household_for_manager(resolve(actor), household)
    with transaction.atomic():
        household.tags.set(list(tags))
        household_due_refresh(household)
    return household


def visit_plan_set(
    *,
    actor: Actor | User | AnonymousUser | None,
    household: Household,
    interval_days: int | None,
    note: str = "",
) -> VisitPlan:
    """Set how often the household is visited (None = monthly, or what its tags ask for)."""
    _household_for_manager(resolve(actor), household)
    if interval_days is not None and not 1 <= interval_days <= 92:
        raise ValidationFailed(_("走访间隔应在1至92天之间。"), data={"interval_days": interval_days})
    with transaction.atomic():
        plan, _created = VisitPlan.objects.update_or_create(
            household=household, defaults={"interval_days": interval_days, "note": (note or "").strip()[:200]}
        )
        household_due_refresh(household)
    return plan


def resident_reveal_personal_data(
    *, actor: Actor | User | AnonymousUser, resident: Resident, purpose: str, ip_address: str | None = None
) -> dict[str, str]:
    """Full ID number and phone for one of the grid's own workers; every view is written to the audit log."""
    resolved = resolve(actor)
    assert resolved is not None
    visible = Resident.objects.filter(visible_households_q(resolved, "household__"), pk=resident.pk).exists()
    if not visible:
        raise NotFound()
    if not can_reveal_personal_data(resolved, resident.household.grid_id):
        raise PermissionDenied(_("只有本网格的网格员可以查看居民完整信息。"), code=errors.NOT_GRID_STAFF)
    if not (purpose or "").strip():
        raise ValidationFailed(_("请填写查看事由。"), data={"purpose": _("请填写查看事由。")})
    audit_record(
        kind=AuditLog.Kind.PERSONAL_DATA_VIEW,
        actor=resolved.user,
        obj=resident,
        summary=f"查看网格居民 {resident.pk} 完整信息",
        data={"purpose": purpose.strip()[:200], "household": resident.household_id},
        ip_address=ip_address,
    )
    return {"id_number": resident.id_number, "phone": resident.phone}

"""An open day from draft to close: creation, quotas, programme and the event's status changes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from huying.core.statemachine import versioned_update
from huying.organisations.models import OrgUnit
from huying.selection.csvio import read_categories
from huying.selection.model import Instance, SelectionError, problems
from huying.selection.model import Quota as EngineQuota
from huying.selection.quotas import quotas_from_shares

from .. import errors, states
from ..models import CATEGORIES, CATEGORY_LABELS, Event, ProgrammeStop, Quota
from ..permissions import is_organiser, managed_event, resolve


def _invalid(message: str, code: str = "validation_failed", **data: Any) -> ValidationFailed:
    return ValidationFailed(message, code=code, data=data)


@transaction.atomic
def event_create(
    *,
    actor: Any,
    unit: OrgUnit,
    title: str,
    area: str,
    venue: str,
    starts_at: dt.datetime,
    registration_ends_at: dt.datetime,
    panel_size: int,
    seed_source: str,
    description: str = "",
    exclusions: list[str] | None = None,
    min_notice_days: int = 15,
    one_per_household: bool = True,
    kind: str = Event.Kind.OPEN_DAY,
    sitting_of: Event | None = None,
) -> Event:
    resolved = resolve(actor)
    probe = Event(unit=unit)
    if not is_organiser(resolved, probe):
        raise PermissionDenied()
    if not title.strip() or not area.strip() or not venue.strip() or not seed_source.strip():
        raise _invalid(_("请填写名称、面向区域、地点和公开种子的产生方式。"))
    if not 1 <= int(panel_size) <= 500:
        raise _invalid(_("参加人数应在1到500之间。"), panel_size=panel_size)
    if registration_ends_at >= starts_at:
        raise _invalid(_("报名截止时间应早于活动时间。"))
    return Event.objects.create(
        unit=unit,
        title=title.strip()[:100],
        area=area.strip()[:100],
        venue=venue.strip()[:200],
        description=description.strip(),
        starts_at=starts_at,
        registration_ends_at=registration_ends_at,
        panel_size=int(panel_size),
        seed_source=seed_source.strip()[:200],
        exclusions=[e.strip() for e in exclusions or [] if e.strip()],
        min_notice_days=min_notice_days,
        one_per_household=one_per_household,
        kind=kind,
        sitting_of=sitting_of,
        created_by=resolved.user,
    )


def _check_quota_values(quotas: list[EngineQuota]) -> None:
    for q in quotas:
        if q.category not in CATEGORIES:
            names = "、".join(CATEGORIES)
            raise _invalid(
                _("类别「%(c)s」不可用；可用的类别：%(names)s。") % {"c": q.category, "names": names},
                errors.UNKNOWN_VALUE,
                category=q.category,
            )
        choices = CATEGORIES[q.category]
        if choices is not None and q.value not in choices.values:
            raise _invalid(
                _("「%(c)s」没有取值「%(v)s」。") % {"c": CATEGORY_LABELS[q.category], "v": q.value},
                errors.UNKNOWN_VALUE,
                category=q.category,
                value=q.value,
            )


def _quota_problem_message(code: str, params: dict[str, Any]) -> str:
    label = CATEGORY_LABELS.get(str(params.get("category", "")), params.get("category", ""))
    if code == "quota_max_below_k":
        return _("「%(c)s」各取值的最多名额合计%(sum)d人，少于参加人数%(k)d人。") % {"c": label, **params}
    if code == "quota_min_above_k":
        return _("「%(c)s」各取值的最少名额合计%(sum)d人，多于参加人数%(k)d人。") % {"c": label, **params}
    if code == "min_above_max":
        return _("「%(c)s」取值「%(v)s」的最少名额大于最多名额。") % {"c": label, "v": params.get("value")}
    if code == "duplicate_value":
        return _("「%(c)s」取值「%(v)s」重复。") % {"c": label, "v": params.get("value")}
    return _("名额分配无法满足。")


def _check_consistent(event: Event, quotas: list[EngineQuota]) -> None:
    if not quotas:
        raise _invalid(_("请至少填写一行名额（feature,value,min,max）。"), errors.BAD_QUOTAS)
    found = [p for p in problems(Instance(quotas, [], event.panel_size)) if p.code != "pool_too_small"]
    if found:
        p = found[0]
        raise _invalid(_quota_problem_message(p.code, dict(p.params)), errors.BAD_QUOTAS, problem=p.code)


def _store(actor: Any, event: Event | int, quotas: list[EngineQuota], shares: dict[tuple[str, str], float]) -> Event:
    resolved = resolve(actor)
    with transaction.atomic():
        event = managed_event(resolved, event)
        if event.status not in (states.DRAFT, states.OPEN, states.REVIEW):
            raise InvalidTransition(_("抽签方案公布后不能再改名额。"))
        _check_quota_values(quotas)
        _check_consistent(event, quotas)
        Quota.objects.filter(event=event).delete()
        Quota.objects.bulk_create(
            Quota(
                event=event,
                category=q.category,
                value=q.value,
                min=q.min,
                max=q.max,
                population_share=shares.get((q.category, q.value)),
            )
            for q in quotas
        )
        versioned_update(Event.objects.filter(pk=event.pk), expected_version=event.version)
    return event


def quotas_set(*, actor: Any, event: Event | int, text: str) -> Event:
    """Quotas from CSV (``feature,value,min,max``, the Sortition Foundation's format; an optional
    ``population_share`` column is kept for the figures). Nothing changes unless every row is valid."""
    try:
        quotas = read_categories(text or "")
    except SelectionError as exc:
        raise _invalid(
            _("名额表格式有误：须有 feature,value,min,max 四列，且最少、最多为整数。"), errors.BAD_QUOTAS
        ) from exc
    shares: dict[tuple[str, str], float] = {}
    reader = csv.DictReader(io.StringIO((text or "").lstrip("\ufeff")))
    for row in reader:
        share = (row.get("population_share") or "").strip()
        if share:
            try:
                shares[((row.get("feature") or "").strip(), (row.get("value") or "").strip())] = float(share)
            except ValueError:
                raise _invalid(_("人口占比须为数字。"), errors.BAD_QUOTAS) from None
    return _store(actor, event, quotas, shares)


def quotas_from_population(*, actor: Any, event: Event | int, shares_text: str, tolerance: int = 1) -> Event:
    """Quotas from population shares (``feature,value,share`` rows): each category's seats apportioned
    by largest remainders, widened by ``tolerance`` either way."""
    shares: dict[str, dict[str, float]] = {}
    for row in csv.reader(io.StringIO(shares_text or "")):
        if len(row) < 3 or row[0].strip() in ("", "feature"):
            continue
        try:
            value = float(row[2])
        except ValueError:
            raise _invalid(_("人口占比须为数字。"), errors.BAD_QUOTAS) from None
        if value < 0:
            raise _invalid(_("人口占比不能为负数。"), errors.BAD_QUOTAS)
        shares.setdefault(row[0].strip(), {})[row[1].strip()] = value
    if not shares or any(sum(v.values()) <= 0 for v in shares.values()):
        raise _invalid(_("请按 feature,value,share 逐行填写人口占比。"), errors.BAD_QUOTAS)
    resolved = resolve(actor)
    size = managed_event(resolved, event).panel_size
    quotas = quotas_from_shares(shares, size, max(0, int(tolerance)))
    flat = {(c, v): s / sum(vals.values()) for c, vals in shares.items() for v, s in vals.items()}
    return _store(actor, event, quotas, flat)


def event_transition(*, actor: Any, event: Event | int, action: str, now: dt.datetime | None = None) -> Event:
    """announce, close_registration, hold, close (the lottery and the draw have their own services)."""
    if action in ("publish_lottery", "draw"):
        raise InvalidTransition(_("请通过抽签页面操作。"))
    now = now or timezone.now()
    resolved = resolve(actor)
    with transaction.atomic():
        current = managed_event(resolved, event)
        transition, _note = states.EVENT_TRANSITIONS.check(
            source=current.status, action=action, roles={states.ORGANISER}
        )
        updates: dict[str, Any] = {"status": transition.target}
        if action == "announce":
            if current.starts_at - now < dt.timedelta(days=current.min_notice_days):
                raise _invalid(
                    _("活动须至少提前%(d)d天公告。") % {"d": current.min_notice_days}, errors.NOTICE_TOO_SHORT
                )
            if not current.quotas.exists():
                raise _invalid(_("公告前请先设定名额分配。"), errors.BAD_QUOTAS)
            updates["announced_at"] = now
        versioned_update(Event.objects.filter(pk=current.pk), expected_version=current.version, **updates)
    current.refresh_from_db()
    return current


@transaction.atomic
def programme_add(
    *, actor: Any, event: Event | int, starts_at: dt.datetime, place: str, activity: str, host: str = ""
) -> ProgrammeStop:
    current = managed_event(resolve(actor), event)
    if not place.strip() or not activity.strip():
        raise _invalid(_("请填写地点和内容。"))
    return ProgrammeStop.objects.create(
        event=current,
        starts_at=starts_at,
        place=place.strip()[:100],
        activity=activity.strip()[:200],
        host=host.strip()[:100],
    )

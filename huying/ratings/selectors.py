"""Reads of 好差评: cases scoped to who may see them, complaints to review, published figures.

Published figures (评价结果向社会公开), all over ratings not excluded by an upheld complaint:

- 满意率 = (非常满意 + 满意 + 基本满意) ÷ all ratings
- 好评率 = (非常满意 + 满意) ÷ all ratings
- 差评整改率 = bad ratings (不满意, 非常不满意) whose case has been answered (已反馈, 已回访 or 已办结) ÷ bad ratings
- 实名差评回访率 = real-name bad ratings whose case has been revisited (已回访 or 已办结) ÷ real-name bad ratings
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huying.accounts.roles import Role
from huying.accounts.selectors import ActorLike, actor_for
from huying.core.deadlines import deadline_state
from huying.core.errors import NotFound
from huying.organisations.models import OrgUnit
from huying.organisations.selectors import under_paths_q

from .models import Complaint, Rating, RectificationCase
from .permissions import roles_for, sees_everything, visible_cases_q
from .states import (
    ANSWERED_STATUSES,
    BAD_LEVELS,
    GOOD_LEVELS,
    OWING_STATUSES,
    REVISITED_STATUSES,
    SATISFIED_LEVELS,
    UNIT_STAFF,
    CaseStatus,
    Channel,
    ComplaintStatus,
    Level,
    kind_label,
)

DEFINITIONS = [
    (_("满意率"), _("（非常满意＋满意＋基本满意）÷ 全部有效评价")),
    (_("好评率"), _("（非常满意＋满意）÷ 全部有效评价")),
    (_("差评整改率"), _("已整改并反馈评价人（已反馈、已回访、已办结）的差评 ÷ 全部差评；差评指不满意和非常不满意")),
    (
        _("实名差评回访率"),
        _("已回访（已回访、已办结）的实名差评 ÷ 全部实名差评；实名指评价人以实名账号评价或留有联系电话"),
    ),
    (_("有效评价"), _("经申诉复核认定为恶意或误评的差评不计入以上任何数字")),
]


# --- acts and ratings -------------------------------------------------------------------------


def rating_for_act(*, kind: str, ref: str) -> Rating | None:
    return Rating.objects.filter(kind=(kind or "").strip(), ref=(ref or "").strip()).first()


def rating_get_for_rater(*, user: Any, rating_id: int) -> Rating:
    """A citizen's own rating (thanks page); anything else is NotFound."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    rating = Rating.objects.filter(pk=rating_id).filter(Q(rater=user) | Q(entered_by=user)).first()
    if rating is None:
        raise NotFound()
    return rating


# --- cases ------------------------------------------------------------------------------------


def case_list_for(actor: ActorLike, *, status: str = "open") -> QuerySet[RectificationCase]:
    """Cases the actor may see: ``open`` (the unit still owes an answer), ``followup`` (answered,
    to be revisited or closed), ``closed``, or ``all``. Soonest deadline first."""
    resolved = actor_for(actor)
    qs = RectificationCase.objects.filter(visible_cases_q(resolved)).select_related("rating", "unit")
    if status == "open":
        qs = qs.filter(status__in=OWING_STATUSES)
    elif status == "followup":
        qs = qs.filter(status__in=ANSWERED_STATUSES - {CaseStatus.CLOSED})
    elif status == "closed":
        qs = qs.filter(status="closed")
    return qs.order_by("due_at", "pk")


def case_get_for(*, actor: ActorLike, case_id: int) -> RectificationCase:
    case = (
        RectificationCase.objects.filter(visible_cases_q(actor_for(actor)), pk=case_id)
        .select_related("rating", "unit")
        .first()
    )
    if case is None:
        raise NotFound()
    return case


def case_events(case: RectificationCase) -> QuerySet[Any]:
    return case.events.select_related("actor").order_by("created_at", "pk")


def case_deadline(case: RectificationCase, now: dt.datetime | None = None) -> str:
    """The colour of the answer deadline (core.deadlines) while the unit owes an answer."""
    return deadline_state(case.due_at, now=now, closed=case.status not in OWING_STATUSES, overdue=case.is_overdue)


def can_complain(actor: ActorLike, case: RectificationCase) -> bool:
    resolved = actor_for(actor)
    return (
        case.status != "closed"
        and UNIT_STAFF in roles_for(resolved, case)
        and not Complaint.objects.filter(rating_id=case.rating_id).exists()
    )


# --- complaints -------------------------------------------------------------------------------


def complaint_list_for(actor: ActorLike, *, status: str = ComplaintStatus.PENDING) -> QuerySet[Complaint]:
    """Complaints on cases of units the actor supervises (status ``all`` for every decision)."""
    resolved = actor_for(actor)
    qs = Complaint.objects.select_related("case__rating", "case__unit", "unit", "filed_by", "reviewed_by")
    if not sees_everything(resolved):
        paths = resolved.unit_paths(Role.SUPERVISOR)
        if not paths:
            return Complaint.objects.none()
        qs = qs.filter(under_paths_q(paths, "case__unit__path"))
    if status != "all":
        qs = qs.filter(status=status)
    return qs.order_by("filed_at", "pk")


def complaint_get_for(*, actor: ActorLike, complaint_id: int) -> Complaint:
    complaint = complaint_list_for(actor, status="all").filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound()
    return complaint


# --- published figures ------------------------------------------------------------------------


@dataclass
class Figures:
    total: int = 0
    by_level: dict[int, int] = field(default_factory=dict)
    satisfied: int = 0
    good: int = 0
    bad: int = 0
    bad_answered: int = 0
    real_name_bad: int = 0
    real_name_bad_revisited: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 2) if whole else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.total)

    @property
    def good_rate(self) -> float | None:
        return self._rate(self.good, self.total)

    @property
    def rectification_rate(self) -> float | None:
        return self._rate(self.bad_answered, self.bad)

    @property
    def revisit_rate(self) -> float | None:
        return self._rate(self.real_name_bad_revisited, self.real_name_bad)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_level": {str(level): self.by_level.get(level, 0) for level in Level.values},
            "satisfaction_rate": self.satisfaction_rate,
            "good_rate": self.good_rate,
            "bad": self.bad,
            "bad_answered": self.bad_answered,
            "rectification_rate": self.rectification_rate,
            "real_name_bad": self.real_name_bad,
            "real_name_bad_revisited": self.real_name_bad_revisited,
            "revisit_rate": self.revisit_rate,
        }


def _aggregates() -> dict[str, Any]:
    bad = Q(level__in=BAD_LEVELS)
    real_bad = bad & Q(is_real_name=True)
    out: dict[str, Any] = {
        "total": Count("pk"),
        "satisfied": Count("pk", filter=Q(level__in=SATISFIED_LEVELS)),
        "good": Count("pk", filter=Q(level__in=GOOD_LEVELS)),
        "bad": Count("pk", filter=bad),
        "bad_answered": Count("pk", filter=bad & Q(case__status__in=ANSWERED_STATUSES)),
        "real_name_bad": Count("pk", filter=real_bad),
        "real_name_bad_revisited": Count("pk", filter=real_bad & Q(case__status__in=REVISITED_STATUSES)),
    }
    for level in Level.values:
        out[f"level_{level}"] = Count("pk", filter=Q(level=level))
    return out


def _figures(row: dict[str, Any]) -> Figures:
    return Figures(
        total=row["total"],
        by_level={level: row[f"level_{level}"] for level in Level.values},
        satisfied=row["satisfied"],
        good=row["good"],
        bad=row["bad"],
        bad_answered=row["bad_answered"],
        real_name_bad=row["real_name_bad"],
        real_name_bad_revisited=row["real_name_bad_revisited"],
    )


def published_ratings(
    *, month: dt.date | None = None, kind: str = "", channel: str = "", unit: OrgUnit | None = None
) -> QuerySet[Rating]:
    """Ratings that count: not excluded by an upheld complaint; optionally one month, kind, channel,
    or one unit's subtree."""
    qs = Rating.objects.filter(excluded=False)
    if month is not None:
        start = timezone.make_aware(dt.datetime(month.year, month.month, 1))
        end_month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        end = timezone.make_aware(dt.datetime(end_month.year, end_month.month, 1))
        qs = qs.filter(created_at__gte=start, created_at__lt=end)
    if kind:
        qs = qs.filter(kind=kind)
    if channel:
        qs = qs.filter(channel=channel)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


def figures(ratings: QuerySet[Rating] | None = None) -> Figures:
    qs = published_ratings() if ratings is None else ratings
    return _figures(qs.aggregate(**_aggregates()))


@dataclass
class FigureRow:
    key: str
    label: str
    figures: Figures


GROUPS = {"unit": _("按单位"), "kind": _("按评价对象"), "channel": _("按评价渠道"), "month": _("按月份")}


def figures_by(group: str, ratings: QuerySet[Rating] | None = None) -> list[FigureRow]:
    """Figures per unit, kind, channel or month (newest month first; others by volume)."""
    qs = published_ratings() if ratings is None else ratings
    if group not in GROUPS:
        raise ValueError(group)
    if group == "month":
        months = qs.annotate(g=TruncMonth("created_at")).values("g").annotate(**_aggregates()).order_by("-g")
        return [
            FigureRow(key=f"{r['g']:%Y-%m}", label=f"{r['g']:%Y年%m月}", figures=_figures(r)) for r in months if r["g"]
        ]
    column = {"unit": "unit_id", "kind": "kind", "channel": "channel"}[group]
    rows: list[dict[str, Any]] = list(qs.values(column).annotate(**_aggregates()).order_by("-total", column))
    labels: dict[Any, str] = {}
    if group == "unit":
        units = OrgUnit.objects.filter(pk__in=[r["unit_id"] for r in rows if r["unit_id"]])
        labels = {u.pk: u.label for u in units}
    out = []
    for r in rows:
        key = r[column]
        if group == "unit":
            label = labels.get(key, str(_("未指明单位")))
        elif group == "kind":
            label = kind_label(key)
        else:
            label = str(Channel(key).label) if key in Channel.values else key
        out.append(FigureRow(key=str(key or ""), label=label, figures=_figures(r)))
    return out

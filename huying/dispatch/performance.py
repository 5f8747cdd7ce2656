"""Reads for the supervisor's 派单模型表现 page: how the model did on the appeals operators decided
(suggested against chosen category, by class, this period against the one before) and which open
appeals an operator's decision would teach the model most (请标注)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.selectors import Actor
from huying.appeals.models import Appeal, Category
from huying.appeals.permissions import visible_appeals_q
from huying.appeals.states import Status

from . import reasons
from .models import ClassifierModel, DispatchSuggestion
from .suggestion import auto_dispatch_threshold

PERIODS = (30, 90)  # the page's choices, in days
DRIFT_DROP = 0.10  # accuracy this period at least this much below the previous one: drifting
MIN_DECIDED = 5  # decisions a class needs in both periods before its change counts
LABEL_ROWS = 30
LABEL_POOL = 2000  # open appeals looked at for the 请标注 list (newest first)


@dataclass
class ClassRow:
    category: str
    decided: int = 0
    correct: int = 0
    previous_decided: int = 0
    previous_correct: int = 0
    corrected_to: dict[str, int] = field(default_factory=dict)  # what operators chose instead

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.decided if self.decided else None

    @property
    def previous_accuracy(self) -> float | None:
        return self.previous_correct / self.previous_decided if self.previous_decided else None

    @property
    def correction_rate(self) -> float | None:
        return 1 - self.correct / self.decided if self.decided else None

    @property
    def drifting(self) -> bool:
        """Accuracy fell by DRIFT_DROP or more against the previous period, both periods measured."""
        if self.decided < MIN_DECIDED or self.previous_decided < MIN_DECIDED:
            return False
        assert self.accuracy is not None and self.previous_accuracy is not None
        return self.previous_accuracy - self.accuracy >= DRIFT_DROP

    @property
    def top_corrections(self) -> list[tuple[str, int]]:
        return sorted(self.corrected_to.items(), key=lambda kv: (-kv[1], kv[0]))[:3]


def _decided(actor: Actor) -> Any:
    """Suggestions an operator decided (confirmed or corrected), on appeals the actor may see."""
    return DispatchSuggestion.objects.filter(
        decided_at__isnull=False,
        chosen_category__isnull=False,
        category__isnull=False,
        auto_dispatched=False,
        appeal__in=Appeal.objects.filter(visible_appeals_q(actor)).values("pk"),
    )


def model_performance(actor: Actor, *, days: int = 30, now: dt.datetime | None = None) -> dict[str, Any]:
    """Accuracy of the suggestions operators decided in the last ``days`` and the ``days`` before,
    overall and by suggested class, with the classes that drift."""
    now = now or timezone.now()
    start, previous_start = now - dt.timedelta(days=days), now - dt.timedelta(days=2 * days)
    names = {c.pk: str(c) for c in Category.objects.select_related("parent")}
    rows: dict[int, ClassRow] = {}
    window = _decided(actor).filter(decided_at__gte=previous_start, decided_at__lte=now)
    for suggested, chosen, decided_at in window.values_list("category_id", "chosen_category_id", "decided_at"):
        row = rows.setdefault(suggested, ClassRow(names.get(suggested, "?")))
        right = suggested == chosen
        if decided_at >= start:
            row.decided += 1
            row.correct += right
            if not right:
                name = names.get(chosen, "?")
                row.corrected_to[name] = row.corrected_to.get(name, 0) + 1
        else:
            row.previous_decided += 1
            row.previous_correct += right
    classes = sorted(rows.values(), key=lambda r: (-r.decided, r.category))
    decided = sum(r.decided for r in classes)
    correct = sum(r.correct for r in classes)
    previous = sum(r.previous_decided for r in classes)
    return {
        "days": days,
        "decided": decided,
        "accuracy": correct / decided if decided else None,
        "previous_decided": previous,
        "previous_accuracy": sum(r.previous_correct for r in classes) / previous if previous else None,
        "classes": classes,
        "drifting": [r for r in classes if r.drifting],
        "auto_dispatched": _auto_count(actor, start, now),
    }


def _auto_count(actor: Actor, start: dt.datetime, now: dt.datetime) -> int:
    return (
        DispatchSuggestion.objects.filter(auto_dispatched=True, created_at__gte=start, created_at__lte=now)
        .filter(appeal__in=Appeal.objects.filter(visible_appeals_q(actor)).values("pk"))
        .count()
    )


def active_version() -> dict[str, Any] | None:
    """The active model version, its figures and the threshold it dispatches at (None: never by itself)."""
    row = ClassifierModel.objects.filter(is_active=True).defer("payload").first()
    if row is None:
        return None
    return {"model": row, "threshold": auto_dispatch_threshold(row)}


@dataclass
class LabelRequest:
    appeal: Appeal
    suggested: str
    confidence: float
    margin: float
    frequency: float  # share of recent appeals in the suggested category
    unreliable: str
    score: float
    why: list[str]


def label_requests(actor: Actor, *, limit: int = LABEL_ROWS) -> list[LabelRequest]:
    """Open appeals still without a decided category whose decision would teach the model most:
    uncertain (small margin between the two best classes), in a frequent category, or unlike the
    training data (an out-of-distribution reason). Highest score first."""
    open_appeals = Appeal.objects.filter(visible_appeals_q(actor), status__in=[Status.SUBMITTED, Status.ACCEPTED])
    suggestions = list(
        DispatchSuggestion.objects.filter(
            appeal__in=open_appeals.values("pk"), decided_at__isnull=True, auto_dispatched=False
        )
        .exclude(source=DispatchSuggestion.Source.NONE)
        .select_related("appeal", "category__parent")
        .order_by("-created_at")[:LABEL_POOL]
    )
    shares = _category_shares()
    requests = []
    for s in suggestions:
        alts = [float(a.get("confidence", 0.0)) for a in (s.alternatives or [])]
        margin = (alts[0] - alts[1]) if len(alts) >= 2 else (alts[0] if alts else 0.0)
        frequency = shares.get(s.category_id or 0, 0.0)
        why = []
        if margin < 0.2:
            why.append(str(_("两个分类难以区分")))
        if frequency >= 0.1:
            why.append(str(_("常见类别")))
        if s.unreliable:
            why.append(reasons.label(s.unreliable))
        score = (1 - min(margin, 1.0)) + 2 * frequency + (1.0 if s.unreliable else 0.0)
        requests.append(
            LabelRequest(
                appeal=s.appeal,
                suggested=str(s.category) if s.category else "",
                confidence=s.confidence,
                margin=margin,
                frequency=frequency,
                unreliable=reasons.label(s.unreliable),
                score=score,
                why=why,
            )
        )
    requests.sort(key=lambda r: (-r.score, r.appeal.pk))
    return requests[:limit]


def _category_shares(days: int = 90) -> dict[int, float]:
    since = timezone.now() - dt.timedelta(days=days)
    counts = dict(
        Appeal.objects.filter(submitted_at__gte=since, category__isnull=False)
        .values_list("category_id")
        .annotate(n=Count("pk"))
        .values_list("category_id", "n")
    )
    total = sum(counts.values())
    return {pk: n / total for pk, n in counts.items()} if total else {}

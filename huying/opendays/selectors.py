"""Reads for open-day pages: public events, the draw record, a participant's own items, the figures."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from huying.accounts.selectors import Actor
from huying.appeals.states import FINAL_STATUSES

from . import states
from .models import CATEGORIES, CATEGORY_LABELS, Draw, Event, ForumItem, Registration
from .permissions import organiser_q

SITTING = (states.INVITED, states.CONFIRMED)


def public_events() -> QuerySet[Event]:
    return Event.objects.exclude(status=states.DRAFT).select_related("unit")


def managed_events(actor: Actor) -> QuerySet[Event]:
    return Event.objects.filter(organiser_q(actor)).select_related("unit")


def pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.2f}%"


def value_label(category: str, value: str) -> str:
    choices = CATEGORIES.get(category)
    if choices is None:
        return value
    return str(dict(choices.choices).get(value, value))


@dataclass
class QuotaRow:
    category: str
    value: str
    label: str
    min: int
    max: int
    registered: int
    sitting: int
    pool_share: float
    population_share: float | None

    @property
    def met(self) -> bool:
        return self.min <= self.sitting <= self.max


@dataclass
class Figures:
    quotas: list[QuotaRow]
    registered: int
    sitting: int
    chances: dict[str, float] = field(default_factory=dict)
    forum_total: int = 0
    forum_assigned: int = 0
    forum_closed: int = 0

    @property
    def min_chance(self) -> float | None:
        return min(self.chances.values()) if self.chances else None

    @property
    def max_chance(self) -> float | None:
        return max(self.chances.values()) if self.chances else None

    @property
    def min_pct(self) -> str:
        return pct(self.min_chance)

    @property
    def max_pct(self) -> str:
        return pct(self.max_chance)

    @property
    def median_chance(self) -> float | None:
        return statistics.median(self.chances.values()) if self.chances else None

    @property
    def geometric_mean(self) -> float | None:
        values = list(self.chances.values())
        if not values or min(values) <= 0:
            return None
        return math.exp(sum(math.log(v) for v in values) / len(values))


def figures(event: Event) -> Figures:
    regs = list(event.registrations.exclude(status=states.EXCLUDED))
    registered = Counter((c, getattr(r, c)) for r in regs for c in CATEGORIES)
    sitting = Counter((c, getattr(r, c)) for r in regs if r.status in SITTING for c in CATEGORIES)
    rows = [
        QuotaRow(
            category=str(CATEGORY_LABELS.get(q.category, q.category)),
            value=q.value,
            label=value_label(q.category, q.value),
            min=q.min,
            max=q.max,
            registered=registered[(q.category, q.value)],
            sitting=sitting[(q.category, q.value)],
            pool_share=registered[(q.category, q.value)] / len(regs) if regs else 0.0,
            population_share=q.population_share,
        )
        for q in event.quotas.all()
    ]
    first = event.draws.filter(sequence=0).first()
    items = list(event.forum_items.select_related("appeal"))
    return Figures(
        quotas=rows,
        registered=len(regs),
        sitting=sum(1 for r in regs if r.status in SITTING),
        chances=dict(first.chances) if first else {},
        forum_total=len(items),
        forum_assigned=sum(1 for i in items if i.appeal_id),
        forum_closed=sum(1 for i in items if i.appeal is not None and i.appeal.status in FINAL_STATUSES),
    )


def participants(event: Event) -> list[Registration]:
    return list(event.registrations.filter(status__in=SITTING).order_by("number"))


def draw_rows(event: Event) -> list[dict[str, Any]]:
    """Each registrant's number, values and chance in the first lottery (the public draw page)."""
    first = event.draws.filter(sequence=0).first()
    chances = first.chances if first else {}
    rows = []
    for r in event.registrations.exclude(status=states.EXCLUDED).order_by("number"):
        rows.append(
            {
                "number": r.number,
                "values": [value_label(c, getattr(r, c)) for c in CATEGORIES],
                "chance": chances.get(r.number),
                "chance_pct": pct(chances.get(r.number)),
                "status": r.get_status_display(),
            }
        )
    return rows


def draws(event: Event) -> list[Draw]:
    return list(event.draws.order_by("sequence"))


def my_registrations(actor: Actor) -> QuerySet[Registration]:
    if not actor.is_authenticated:
        return Registration.objects.none()
    return Registration.objects.filter(user=actor.user).select_related("event").order_by("-created_at")


def my_forum_items(actor: Actor) -> QuerySet[ForumItem]:
    if not actor.is_authenticated:
        return ForumItem.objects.none()
    return ForumItem.objects.filter(raised_by__user=actor.user).select_related("event", "appeal", "owner")

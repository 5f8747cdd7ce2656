"""Figures of a village or community's self-governance over a year: topics by source, decided,
carried out and published on time; objections answered within five days; satisfaction of each
committee over time; rectifications opened and closed; the resolution rate (办结的议题占进入议事
的议题之比: declined at intake and still collecting signatures are not counted; 市中区 reports 98.1%)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from huying.organisations.models import OrgUnit

from .models import Objection, Publication, Rectification, Survey, Topic
from .states import RectificationStatus, TopicStatus


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1")) if whole else None


@dataclass
class Figures:
    year: int
    by_source: list[tuple[str, int]]
    raised: int
    decided: int
    done: int
    declined: int
    resolution_rate: Decimal | None
    published: int
    published_on_time: int
    on_time_rate: Decimal | None
    objections: int
    answered_in_time: int
    answered_rate: Decimal | None
    rectifications_opened: int
    rectifications_closed: int
    satisfaction: list[tuple[str, dt.date, Decimal]] = field(default_factory=list)


def figures_for(unit: OrgUnit, year: int) -> Figures:
    topics = Topic.objects.filter(unit=unit, raised_at__year=year)
    counts = dict(topics.values_list("source").annotate(n=Count("id")).values_list("source", "n"))
    by_source = [(str(label), counts.get(code, 0)) for code, label in Topic.Source.choices]
    raised = topics.exclude(status=TopicStatus.COLLECTING).count()
    declined = topics.filter(status=TopicStatus.DECLINED).count()
    decided = topics.filter(decided_at__isnull=False).count()
    done = topics.filter(status=TopicStatus.DONE).count()
    pubs = Publication.objects.filter(unit=unit, first_published_at__year=year)
    on_time = pubs.annotate(day=TruncDate("first_published_at")).filter(day__lte=F("due_on")).count()
    objections = Objection.objects.filter(publication__unit=unit, raised_at__year=year)
    in_time = (
        objections.filter(answered_at__isnull=False)
        .annotate(day=TruncDate("answered_at"))
        .filter(day__lte=F("answer_due"))
        .count()
    )
    rects = Rectification.objects.filter(unit=unit, opened_at__year=year)
    surveys = (
        Survey.objects.filter(unit=unit, closed_at__year=year, body__isnull=False)
        .select_related("body")
        .order_by("body__name", "closed_at")
    )
    return Figures(
        year=year,
        by_source=by_source,
        raised=raised,
        decided=decided,
        done=done,
        declined=declined,
        resolution_rate=_rate(done, raised - declined),
        published=pubs.count(),
        published_on_time=on_time,
        on_time_rate=_rate(on_time, pubs.count()),
        objections=objections.count(),
        answered_in_time=in_time,
        answered_rate=_rate(in_time, objections.count()),
        rectifications_opened=rects.count(),
        rectifications_closed=rects.filter(Q(status=RectificationStatus.CLOSED)).count(),
        satisfaction=[
            (
                s.body.name if s.body else "",
                s.closed_at.date() if s.closed_at else dt.date.min,
                s.satisfaction or Decimal(0),
            )
            for s in surveys
        ],
    )

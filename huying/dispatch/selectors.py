"""Reads for the dispatch pages: hot issues, key problems, suggestion quality."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.appeals.models import Appeal
from huying.appeals.permissions import visible_appeals_q
from huying.appeals.states import OPEN_STATUSES, Status
from huying.core.errors import NotFound

from . import hotspots
from .models import DispatchSuggestion, KeyProblem

HOT_WINDOW_DAYS = 7
HOT_MAX_APPEALS = 20_000


@dataclass
class HotIssue:
    rank: int
    title: str
    keywords: list[str]
    size: int
    previous: int
    growth: float | None
    votes: int
    address: str
    address_count: int
    appeals: list[Appeal]


def hot_issues(
    actor: Actor, *, days: int = HOT_WINDOW_DAYS, now: dt.datetime | None = None, limit: int = 20
) -> list[HotIssue]:
    """This window's clusters of similar appeals (text, place, time), ranked by size, growth and votes."""
    now = now or timezone.now()
    start = now - dt.timedelta(days=2 * days)
    rows = list(
        Appeal.objects.filter(visible_appeals_q(actor))
        .filter(submitted_at__gte=start, submitted_at__lte=now)
        .order_by("-submitted_at")
        .values_list("pk", "title", "content", "division_id", "submitted_at", "repeat_count", "address")[
            :HOT_MAX_APPEALS
        ]
    )
    items = [
        hotspots.AppealRecord(
            id=pk,
            text=f"{title}\n{content}",
            place=str(division) if division else None,
            created_at=at,
            votes=repeats,
            address=address,
        )
        for pk, title, content, division, at, repeats, address in rows
    ]
    clusters = hotspots.hot_issues(items, now=now, window=dt.timedelta(days=days), min_size=2, top=limit)
    by_id = Appeal.objects.in_bulk([i for c in clusters for i in c.member_ids])
    return [
        HotIssue(
            rank=n,
            title=c.title,
            keywords=list(c.keywords),
            size=c.size,
            previous=c.previous_size,
            growth=c.growth,
            votes=c.votes,
            address=c.address,
            address_count=c.address_count,
            appeals=sorted((by_id[i] for i in c.member_ids if i in by_id), key=lambda a: a.submitted_at, reverse=True),
        )
        for n, c in enumerate(clusters, start=1)
    ]


def key_problems_for(actor: Actor) -> QuerySet[KeyProblem]:
    if not actor.has_role(Role.SUPERVISOR):
        return KeyProblem.objects.none()
    return KeyProblem.objects.select_related("lead_unit").annotate(
        total=Count("appeals", distinct=True),
        closed=Count("appeals", filter=~Q(appeals__status__in=OPEN_STATUSES), distinct=True),
    )


def key_problem_rows(actor: Actor, *, open_only: bool = False) -> list[dict[str, Any]]:
    qs = key_problems_for(actor)
    if open_only:
        qs = qs.filter(status=KeyProblem.Status.OPEN)
    return [
        {
            "pk": kp.pk,
            "title": kp.title,
            "lead_unit": kp.lead_unit.label,
            "status": kp.get_status_display(),
            "total": kp.total,  # type: ignore[attr-defined]
            "closed": kp.closed,  # type: ignore[attr-defined]
            "created_at": timezone.localtime(kp.created_at).strftime("%Y-%m-%d"),
        }
        for kp in qs
    ]


def key_problem_get(actor: Actor, pk: int) -> KeyProblem:
    kp = key_problems_for(actor).filter(pk=pk).first()
    if kp is None:
        raise NotFound()
    return kp


def repeat_caller_appeals(actor: Actor, phone: str) -> QuerySet[Appeal]:
    """A repeat caller's orders (including the calls merged as repeats), newest first."""
    return (
        Appeal.objects.filter(visible_appeals_q(actor))
        .filter(requester_phone=phone)
        .exclude(status__in=[Status.REFERRED, Status.REFUSED, Status.WITHDRAWN])
        .order_by("-submitted_at")
    )


def suggestion_quality(since: dt.datetime | None = None) -> dict[str, Any]:
    """How often the operators kept the suggestion: the figure that says when to retrain."""
    qs = DispatchSuggestion.objects.filter(chosen_category__isnull=False)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    total = qs.count()
    kept = qs.filter(is_correction=False).count()
    return {
        "decided": total,
        "kept": kept,
        "corrected": total - kept,
        "auto_dispatched": qs.filter(auto_dispatched=True).count(),
        "accuracy": round(100.0 * kept / total, 1) if total else None,
    }

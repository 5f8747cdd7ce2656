"""Background tasks: thin wrappers that call a service; safe to run twice."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from . import services, stats


@task()
def sweep_overdue() -> int:
    """Mark overdue orders and raise their 督办 level (idempotent: a second run changes nothing)."""
    return services.appeals_sweep_overdue()


@task()
def rebuild_stats() -> int:
    """Recompute the monthly counters from the appeals."""
    with transaction.atomic():
        return stats.stats_rebuild()

"""What a new classifier version learns from: this deployment's handled appeals, its operators'
own decisions weighted above history that came from elsewhere."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from huying.appeals.models import Appeal

from . import classifier
from .models import DispatchSuggestion

MIN_PER_CATEGORY = 5


@dataclass
class TrainingData:
    contents: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # category ids
    weights: list[float] = field(default_factory=list)

    @property
    def n_local(self) -> int:
        return sum(w > 1.0 for w in self.weights)


def training_data(
    statuses: tuple[str, ...], *, since: dt.datetime | None = None, local_weight: float = classifier.LOCAL_WEIGHT
) -> TrainingData:
    """Handled appeals with their final category. An appeal whose category an operator decided on a
    suggestion (confirmed or corrected; not dispatched automatically) weighs ``local_weight``;
    history imported or recorded before smart dispatch weighs 1."""
    qs = Appeal.objects.filter(status__in=statuses, category__isnull=False, category__is_active=True)
    if since is not None:
        qs = qs.filter(submitted_at__gte=since)
    rows = list(qs.values_list("pk", "title", "content", "category_id"))
    decided = set(
        DispatchSuggestion.objects.filter(
            appeal_id__in=qs.values("pk"), chosen_category__isnull=False, auto_dispatched=False
        ).values_list("appeal_id", flat=True)
    )
    counts: dict[int, int] = {}
    for *_rest, cat in rows:
        counts[cat] = counts.get(cat, 0) + 1
    data = TrainingData()
    for pk, title, content, cat in rows:
        if counts[cat] >= MIN_PER_CATEGORY:
            data.contents.append(content)
            data.titles.append(title)
            data.labels.append(str(cat))
            data.weights.append(local_weight if pk in decided else 1.0)
    return data

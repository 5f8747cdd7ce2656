"""The demo deployment's builders, in the order they run.

Each loop contributes one builder, ``build(run: DemoRun) -> None``, registered by
``huying.demo.builders.register_all()`` (called from the app's ``ready()``) in the order the data
depends on: the city and its appeals, the dispatch index and model, the catalogue, e-licences, the
service hall, applications, ratings, and last the printed account table. ``manage.py demo`` runs them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from huying.core.registry import Registry

builders = Registry("demo_builders")


def _print(line: str) -> None:
    print(line, flush=True)


@dataclass
class DemoRun:
    """What one run of the demo is asked for, and where its lines go."""

    write: Callable[[str], None] = _print
    warn: Callable[[str], None] = _print  # a line that explains a skipped record
    success: Callable[[str], str] = str  # styles a builder's summary line
    if_empty: bool = False  # leave appeals and the catalogue alone when there are some
    seed: int = 12345  # the appeals' random seed
    appeals: int = 3000
    licences: int = 1000  # other residents' and businesses' e-licences
    hall_days: int = 30  # days of queue history
    applications: int = 200
    ratings_per_kind: int = 20
    host: str = field(default_factory=lambda: os.environ.get("HOST", "127.0.0.1"))
    port: str = field(default_factory=lambda: os.environ.get("PORT", "8000"))


def build_all(run: DemoRun, *, only: list[str] | None = None) -> None:
    for name, build in builders.items():
        if only is None or name in only:
            build(run)

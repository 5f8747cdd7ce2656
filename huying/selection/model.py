"""The selection problem: categories with quotas, a pool of people, a panel size.

A person has exactly one value in every category. A quota bounds how many panel members may have a
value (``min <= count <= max``). With ``one_per_household`` at most one member of a household may sit
on the panel.

Errors carry a stable ``code`` and ``params`` so that callers (which may speak Chinese) phrase them;
the English ``str()`` is for logs and the command line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "Instance",
    "Person",
    "Problem",
    "Quota",
    "SelectionError",
    "TypedPool",
    "problems",
    "typed_pool",
    "validate",
]


class SelectionError(ValueError):
    """Bad input or an impossible request; ``code`` is stable, ``params`` fill the message."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Quota:
    category: str
    value: str
    min: int
    max: int


@dataclass(frozen=True)
class Person:
    id: str
    features: Mapping[str, str]
    household: str | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an instance (``code`` + ``params``); see :func:`problems`."""

    code: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass
class Instance:
    quotas: list[Quota]
    people: list[Person]
    k: int
    one_per_household: bool = False

    def categories(self) -> dict[str, list[Quota]]:
        out: dict[str, list[Quota]] = {}
        for q in self.quotas:
            out.setdefault(q.category, []).append(q)
        return out

    def index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.people)}

    def restricted(self, ids: Iterable[str], quotas: list[Quota], k: int) -> Instance:
        keep = set(ids)
        return Instance(quotas, [p for p in self.people if p.id in keep], k, self.one_per_household)


def problems(inst: Instance) -> list[Problem]:
    """Everything structurally wrong with ``inst`` (not yet whether quotas can be met together)."""
    out: list[Problem] = []
    if inst.k <= 0:
        out.append(Problem("panel_size", f"panel size must be positive, got {inst.k}", {"k": inst.k}))
    if inst.k > len(inst.people):
        out.append(
            Problem(
                "pool_too_small",
                f"{len(inst.people)} people cannot fill {inst.k} seats",
                {"k": inst.k, "n": len(inst.people)},
            )
        )
    cats = inst.categories()
    for cat, qs in cats.items():
        seen = Counter(q.value for q in qs)
        for value, times in seen.items():
            if times > 1:
                out.append(Problem("duplicate_value", f"{cat}={value} listed twice", {"category": cat, "value": value}))
        for q in qs:
            if q.min < 0 or q.max < q.min:
                out.append(
                    Problem(
                        "min_above_max",
                        f"{cat}={q.value}: min {q.min} max {q.max}",
                        {"category": cat, "value": q.value, "min": q.min, "max": q.max},
                    )
                )
        lo, hi = sum(q.min for q in qs), sum(q.max for q in qs)
        if hi < inst.k:
            out.append(
                Problem(
                    "quota_max_below_k",
                    f"{cat}: maxima sum to {hi} < panel size {inst.k}",
                    {"category": cat, "sum": hi, "k": inst.k},
                )
            )
        if lo > inst.k:
            out.append(
                Problem(
                    "quota_min_above_k",
                    f"{cat}: minima sum to {lo} > panel size {inst.k}",
                    {"category": cat, "sum": lo, "k": inst.k},
                )
            )
    ids = Counter(p.id for p in inst.people)
    for pid, times in ids.items():
        if times > 1:
            out.append(Problem("duplicate_id", f"person {pid} listed twice", {"id": pid}))
    values = {cat: {q.value for q in qs} for cat, qs in cats.items()}
    for p in inst.people:
        for cat, allowed in values.items():
            v = p.features.get(cat)
            if v is None:
                out.append(Problem("missing_value", f"person {p.id} has no {cat}", {"id": p.id, "category": cat}))
            elif v not in allowed:
                out.append(
                    Problem(
                        "unknown_value",
                        f"person {p.id}: {cat}={v} is in no quota",
                        {"id": p.id, "category": cat, "value": v},
                    )
                )
    return out


def validate(inst: Instance) -> None:
    """Raise the first of :func:`problems` as a :class:`SelectionError`."""
    found = problems(inst)
    if found:
        first = found[0]
        raise SelectionError(first.code, first.message, **first.params)


@dataclass
class TypedPool:
    """People grouped into types of interchangeable members.

    Two people are interchangeable when they have the same values in every category and neither is
    bound by a household constraint; a panel is then a vector of counts per type. Members of a
    household with several registrants (when ``one_per_household``) are each a type of their own.
    ``value_rows`` maps every quota to the types having that value; ``households`` lists groups of
    types at most one of which may be chosen.
    """

    members: list[list[int]]
    quotas: list[Quota]
    value_rows: list[list[int]]
    households: list[list[int]]
    k: int

    @property
    def sizes(self) -> list[int]:
        return [len(m) for m in self.members]

    def agent_probs(self, type_probs: Sequence[float], n: int) -> list[float]:
        out = [0.0] * n
        for t, ms in enumerate(self.members):
            for i in ms:
                out[i] = type_probs[t]
        return out


def typed_pool(inst: Instance) -> TypedPool:
    validate(inst)
    cats = inst.categories()
    order = list(cats)
    housed: Counter[str] = Counter()
    if inst.one_per_household:
        housed = Counter(p.household for p in inst.people if p.household)
    groups: dict[tuple[str, ...], list[int]] = {}
    singles: list[list[int]] = []
    single_house: list[str] = []
    for i, p in enumerate(inst.people):
        if p.household and housed[p.household] > 1:
            singles.append([i])
            single_house.append(p.household)
        else:
            groups.setdefault(tuple(p.features[c] for c in order), []).append(i)
    members = list(groups.values()) + singles
    first = len(groups)
    by_house: dict[str, list[int]] = {}
    for j, h in enumerate(single_house):
        by_house.setdefault(h, []).append(first + j)
    quotas = [q for c in order for q in cats[c]]
    value_rows = []
    for q in quotas:
        value_rows.append([t for t, ms in enumerate(members) if inst.people[ms[0]].features[q.category] == q.value])
    return TypedPool(members, quotas, value_rows, list(by_house.values()), inst.k)

"""CSV in the formats people already use.

* Categories: the Sortition Foundation's ``feature,value,min,max[,min_flex,max_flex]``, its older
  ``category,name,min,max`` and the replication files' ``category,feature,min,max``.
* People: one row per person, an id column (``id``, ``nationbuilder_id`` or one named by the caller)
  and a column per category; an optional household column. A file without an id column (as in the
  replication instances) numbers its rows from 0.
* Out: the same categories format, probabilities per person, and the lottery's panels.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from .model import Person, Quota, SelectionError

__all__ = ["read_categories", "read_people", "write_categories", "write_panels", "write_probabilities"]

_HEADERS = (("feature", "value"), ("category", "name"), ("category", "feature"))
ID_COLUMNS = ("id", "nationbuilder_id", "person_id")


def _rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    return header, rows


def _int(value: str, line: int, column: str) -> int:
    try:
        return int(float(value))
    except ValueError:
        raise SelectionError(
            "bad_number", f"line {line}: {column} is not a number: {value!r}", line=line, column=column, value=value
        ) from None


def read_categories(text: str) -> list[Quota]:
    header, rows = _rows(text)
    names = {h.lower(): h for h in header}
    for cat_col, val_col in _HEADERS:
        if cat_col in names and val_col in names and "min" in names and "max" in names:
            break
    else:
        raise SelectionError("bad_header", "categories need the columns feature,value,min,max", header=header)
    out = []
    for line, row in enumerate(rows, start=2):
        cat, val = row[names[cat_col]], row[names[val_col]]
        if not cat and not val:
            continue
        lo, hi = _int(row[names["min"]], line, "min"), _int(row[names["max"]], line, "max")
        out.append(Quota(cat, val, lo, hi))
    return out


def read_people(
    text: str, quotas: Sequence[Quota], id_column: str | None = None, household_column: str | None = None
) -> list[Person]:
    header, rows = _rows(text)
    cats = list(dict.fromkeys(q.category for q in quotas))
    missing = [c for c in cats if c not in header]
    if missing:
        raise SelectionError("missing_column", f"people file has no column {missing[0]!r}", column=missing[0])
    if id_column is None:
        id_column = next((c for c in header if c.lower() in ID_COLUMNS), None)
    elif id_column not in header:
        raise SelectionError("missing_column", f"people file has no column {id_column!r}", column=id_column)
    out = []
    for i, row in enumerate(rows):
        pid = row[id_column] if id_column else str(i)
        household = row.get(household_column) if household_column else None
        out.append(Person(pid, {c: row[c] for c in cats}, household or None))
    return out


def _write(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_categories(quotas: Iterable[Quota]) -> str:
    return _write(("feature", "value", "min", "max"), ((q.category, q.value, q.min, q.max) for q in quotas))


def write_probabilities(people: Sequence[Person], probs: Sequence[float]) -> str:
    return _write(("id", "probability"), ((p.id, f"{pr:.6f}") for p, pr in zip(people, probs, strict=True)))


def write_panels(panels: Iterable[Sequence[str]]) -> str:
    """One line per panel of the lottery: its number (from 0) and its members' ids, sorted."""
    return _write(("panel", "members"), ((i, " ".join(sorted(p))) for i, p in enumerate(panels)))

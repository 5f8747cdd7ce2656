"""Typed addresses to coordinates from a local table (data/gazetteer.csv): no online geocoder.

The table names each place in full (市/县/镇/村) and by its short name. An address matches the place
the longest tail of whose full name it contains (at least the short name), so "张星镇石棚村" is the
village, not the township; ties go to the first row, so the answer depends on nothing but the file.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from huying.core.errors import ValidationFailed

from . import errors

TABLE = Path(__file__).resolve().parent / "data" / "gazetteer.csv"
_SPACES = re.compile(r"[\s,，。·]+")


@dataclass(frozen=True)
class Place:
    full: str
    short: str
    longitude: float
    latitude: float
    population: int


@functools.cache
def places() -> tuple[Place, ...]:
    rows: list[Place] = []
    with TABLE.open(encoding="utf-8") as handle:
        for row in csv.reader(line for line in handle if line.strip() and not line.startswith("#")):
            full, short, lon, lat, population = (cell.strip() for cell in row)
            rows.append(Place(full, short, float(lon), float(lat), int(population)))
    return tuple(rows)


def normalise(address: str) -> str:
    return _SPACES.sub("", address or "").replace("山东省", "")


def _score(text: str, place: Place) -> int:
    """The length of the longest tail of the place's full name found in the text ("张星镇石棚村" names
    招远市张星镇石棚村 by six characters, 张星镇 by three); a tail shorter than the short name is no match."""
    full = place.full.replace("山东省", "")
    for start in range(0, len(full) - len(place.short) + 1):
        if full[start:] in text:
            return len(full) - start
    return 0


def geocode(address: str) -> Place:
    """The place an address names, or ValidationFailed(address_not_found) with a clear message."""
    text = normalise(address)[:100]
    best: Place | None = None
    best_score = 0
    if len(text) >= 2:
        for place in places():
            score = _score(text, place)
            if score > best_score:
                best, best_score = place, score
    if best is None:
        raise ValidationFailed(
            _("未能识别地址“%(address)s”，请输入村（社区）、镇（街道）名称，如“张星镇石棚村”。")
            % {"address": text[:40]},
            code=errors.ADDRESS_NOT_FOUND,
            data={"address": _("未能识别该地址。")},
        )
    return best

"""Reading the volunteer pages' form fields: times, skill lists and availability."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, QueryDict
from django.utils import timezone

from .. import matching, skills


def parse_local(value: str | None) -> dt.datetime | None:
    """A ``datetime-local`` field as an aware datetime in the site's zone, or None."""
    try:
        naive = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return timezone.make_aware(naive) if timezone.is_naive(naive) else naive


def skill_codes(data: QueryDict) -> list[str]:
    return [code for code in data.getlist("skills") if code][:20]


def availability(data: QueryDict) -> int:
    """Checked boxes named ``slot`` with values ``<weekday>-<part>``."""
    bits = 0
    for value in data.getlist("slot"):
        day, _sep, part = value.partition("-")
        if day.isdigit() and part.isdigit() and int(day) < 7 and int(part) < matching.SLOTS_PER_DAY:
            bits |= 1 << (int(day) * matching.SLOTS_PER_DAY + int(part))
    return bits


def checked(request: HttpRequest, name: str) -> bool:
    return request.POST.get(name) in ("on", "1", "true")


def version_of(request: HttpRequest) -> int:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else -1


SKILL_TREE = skills.SKILL_TREE
DAYS = ["一", "二", "三", "四", "五", "六", "日"]

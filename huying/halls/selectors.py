"""Reads for the service hall: what a clerk or manager may see, a ticket's place in the queue and its
estimated wait, the hall display, and the figures of a period."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.catalogue.models import Bundle, ServiceItem
from huying.catalogue.selectors import item_search
from huying.core.errors import NotFound
from huying.core.registry import RatedAct
from huying.organisations.selectors import under_paths_q
from huying.ratings.models import Rating

from . import errors
from .models import Hall, Ticket, Window
from .services import hall_roles, window_current_ticket
from .states import Status

# Estimated waits use the mean service time of the hall's last RECENT_SERVICE_TICKETS finished tickets
# (of the last RECENT_SERVICE_DAYS days); a new hall assumes DEFAULT_SERVICE_MINUTES.
RECENT_SERVICE_TICKETS = 50
RECENT_SERVICE_DAYS = 14
DEFAULT_SERVICE_MINUTES = 8.0
DISPLAY_CALL_MINUTES = 30  # how long a call stays in the display's list of calls
DISPLAY_CALLS = 8
MAX_FIGURE_DAYS = 366

FIGURE_ROLES = frozenset({Role.HALL_MANAGER, Role.SUPERVISOR, Role.ADMIN})


def today() -> dt.date:
    return timezone.localdate()


# --- scoping -------------------------------------------------------------------------------------


def _scope_q(actor: Actor, roles: set[str] | frozenset[str], field_path: str) -> Q:
    if not actor.is_authenticated:
        return Q(pk__in=[])
    if actor.user.is_superuser or actor.has_role(Role.ADMIN):
        return Q()
    return under_paths_q([path for role in roles for path in actor.unit_paths(role)], field_path)


def halls_for(actor: Actor, roles: set[str] | frozenset[str]) -> QuerySet[Hall]:
    return Hall.objects.filter(_scope_q(actor, roles, "unit__path"), is_active=True).select_related("unit")


def hall_get(hall_id: int) -> Hall:
    hall = Hall.objects.select_related("unit").filter(pk=hall_id, is_active=True).first()
    if hall is None:
        raise NotFound()
    return hall


def hall_for_figures(actor: Actor, hall_id: int) -> Hall:
    """The hall if the actor may read its figures; otherwise NotFound (missing and forbidden look the same)."""
    hall = hall_get(hall_id)
    if not hall_roles(actor, hall) & FIGURE_ROLES:
        raise NotFound()
    return hall


def windows_for_clerk(actor: Actor) -> QuerySet[Window]:
    return (
        Window.objects.filter(_scope_q(actor, {Role.CLERK}, "hall__unit__path"), hall__is_active=True)
        .select_related("hall", "clerk")
        .order_by("hall__name", "number")
    )


def window_for_clerk(actor: Actor, window_id: int) -> Window:
    window = windows_for_clerk(actor).select_related("hall__unit").filter(pk=window_id).first()
    if window is None:
        raise NotFound()
    return window


DEVICE_SALT = "huying.halls.rating-device"


def rating_device_key(window: Window) -> str:
    """The key in a rating device's address: it binds the device to one window."""
    return signing.dumps(window.pk, salt=DEVICE_SALT)


def window_for_device(window_id: int, key: str) -> Window:
    """The window a rating device is bound to; NotFound for a wrong or forged key."""
    try:
        bound = signing.loads(str(key), salt=DEVICE_SALT)
    except signing.BadSignature:
        raise NotFound() from None
    window = Window.objects.select_related("hall").filter(pk=window_id).first()
    if window is None or bound != window.pk:
        raise NotFound()
    return window


def ticket_to_rate_on_device(window: Window, *, now: dt.datetime | None = None, minutes: int = 15) -> Ticket | None:
    """The visit the window finished last, if within ``minutes`` and not yet rated."""
    now = now or timezone.now()
    ticket = (
        Ticket.objects.select_related("hall", "window")
        .filter(window=window, status=Status.DONE, finished_at__gte=now - dt.timedelta(minutes=minutes))
        .order_by("-finished_at")
        .first()
    )
    if ticket is None or Rating.objects.filter(kind="window_visit", ref=ticket.public_id).exists():
        return None
    return ticket


def ticket_by_public_id(public_id: str) -> Ticket:
    ticket = (
        Ticket.objects.select_related("hall__unit", "item", "bundle", "window")
        .filter(public_id=str(public_id)[:24])
        .first()
    )
    if ticket is None:
        raise NotFound(code=errors.TICKET_NOT_FOUND)
    return ticket


# --- what can be chosen at the kiosk -------------------------------------------------------------

KIOSK_ITEMS = 12
MAX_QUERY = 40


def kiosk_items(hall: Hall, query: str = "", *, limit: int = KIOSK_ITEMS) -> list[ServiceItem]:
    """Items matching the query (catalogue search: name, code or 拼音首字母 like "sfz"); without one, the hall's
    most asked-for items of the last 30 days (or the first items of the catalogue)."""
    query = (query or "").strip()[:MAX_QUERY]
    if query:
        return list(item_search(query).order_by("name")[:limit])
    active = ServiceItem.objects.filter(is_active=True).select_related("unit")
    popular = list(
        Ticket.objects.filter(
            hall=hall, item__isnull=False, item__is_active=True, day__gte=timezone.localdate() - dt.timedelta(days=30)
        )
        .values("item")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("item", flat=True)[:limit]
    )
    if popular:
        by_id = active.in_bulk(popular)
        return [by_id[pk] for pk in popular if pk in by_id]
    return list(active.order_by("code")[:limit])


def kiosk_bundles(*, limit: int = KIOSK_ITEMS) -> list[Bundle]:
    return list(Bundle.objects.filter(is_active=True).order_by("code")[:limit])


# --- a ticket's place in the queue ---------------------------------------------------------------


def recent_service_minutes(hall: Hall, *, now: dt.datetime | None = None) -> float:
    now = now or timezone.now()
    rows = list(
        Ticket.objects.filter(
            hall=hall,
            status=Status.DONE,
            finished_at__gte=now - dt.timedelta(days=RECENT_SERVICE_DAYS),
            finished_at__lte=now,
            started_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:RECENT_SERVICE_TICKETS]
    )
    if not rows:
        return DEFAULT_SERVICE_MINUTES
    seconds = [(end - start).total_seconds() for start, end in rows if start is not None and end is not None]
    return sum(seconds) / len(seconds) / 60.0 if seconds else DEFAULT_SERVICE_MINUTES


def open_windows_for(ticket: Ticket) -> int:
    """Open windows that may call this ticket: every comprehensive one, and special ones of its unit."""
    q = Q(kind=Window.Kind.COMPREHENSIVE)
    if ticket.unit_id is not None:
        q |= Q(kind=Window.Kind.SPECIAL, units=ticket.unit_id)
    return Window.objects.filter(q, hall_id=ticket.hall_id, is_open=True).distinct().count()


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same queue (the letter of its number: A for the comprehensive windows, B…
    for a special window's), hall and day taken before this one; the windows call first come, first
    served within a queue, so another queue's people are not in front of this one."""
    prefix = ticket.number.rstrip("0123456789")
    return (
        Ticket.objects.filter(hall_id=ticket.hall_id, day=ticket.day, status=Status.WAITING)
        .filter(number__startswith=prefix)  # a queue's letter is one character (Window.prefix)
        .filter(Q(taken_at__lt=ticket.taken_at) | Q(taken_at=ticket.taken_at, pk__lt=ticket.pk))
        .count()
    )


@dataclass(frozen=True)
class TicketProgress:
    ticket: Ticket
    ahead: int | None  # people ahead while waiting
    estimated_minutes: int | None  # None when not waiting or no window is open
    open_windows: int


def ticket_progress(ticket: Ticket, *, now: dt.datetime | None = None) -> TicketProgress:
    """Position and estimated wait: people ahead x recent mean service time / open windows that serve it."""
    if ticket.status != Status.WAITING:
        return TicketProgress(ticket, None, None, 0)
    ahead = people_ahead(ticket)
    windows = open_windows_for(ticket)
    if windows == 0:
        return TicketProgress(ticket, ahead, None, 0)
    minutes = ahead * recent_service_minutes(ticket.hall, now=now) / windows
    return TicketProgress(ticket, ahead, math.ceil(minutes), windows)


# --- the hall display ----------------------------------------------------------------------------


def hall_display_state(hall: Hall, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The big screen: the latest calls (“请 A012 号到 5 号窗口”), each window's current number, queue lengths."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    calls = (
        Ticket.objects.filter(
            hall=hall,
            day=day,
            status__in=(Status.CALLED, Status.SERVING),
            # A call is news for a while; the number being served stays in the windows' table.
            announced_at__gte=now - dt.timedelta(minutes=DISPLAY_CALL_MINUTES),
        )
        .select_related("window")
        .order_by("-announced_at", "-pk")[:DISPLAY_CALLS]
    )
    current: dict[int, str] = {}
    for window_id, number in Ticket.objects.filter(
        hall=hall, day=day, status__in=(Status.CALLED, Status.SERVING), window__isnull=False
    ).values_list("window_id", "number"):
        current[window_id] = number
    waiting = Counter(
        number[:1]
        for number in Ticket.objects.filter(hall=hall, day=day, status=Status.WAITING).values_list("number", flat=True)
    )
    windows = list(Window.objects.filter(hall=hall).order_by("number"))
    return {
        "hall": {"id": hall.pk, "name": hall.name},
        "now": timezone.localtime(now).isoformat(timespec="seconds"),
        "calls": [
            {
                "number": t.number,
                "window": t.window.number if t.window else None,
                "status": t.status,
                "announced_at": timezone.localtime(t.announced_at).isoformat(timespec="seconds")
                if t.announced_at
                else None,
                "text": f"请 {t.number} 号到 {t.window.number if t.window else ''} 号窗口",
            }
            for t in calls
        ],
        "windows": [
            {
                "number": w.number,
                "label": w.label,
                "kind": w.kind,
                "is_open": w.is_open,
                "current": current.get(w.pk),
            }
            for w in windows
        ],
        "waiting": dict(sorted(waiting.items())),
        "waiting_total": sum(waiting.values()),
    }


# --- figures -------------------------------------------------------------------------------------


@dataclass
class HallFigures:
    start: dt.date
    end: dt.date
    tickets: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    called: int = 0
    average_wait_minutes: float | None = None
    p90_wait_minutes: float | None = None
    average_service_minutes: float | None = None
    by_hour: list[tuple[int, int]] = field(default_factory=list)  # (hour 0-23, tickets taken)
    open_windows: int = 0
    open_comprehensive_windows: int = 0
    served: int = 0
    served_at_comprehensive: int = 0

    @property
    def comprehensive_window_share(self) -> float | None:
        """Share of comprehensive windows among the windows open now."""
        return self.open_comprehensive_windows / self.open_windows if self.open_windows else None

    @property
    def comprehensive_served_share(self) -> float | None:
        """Share of the period's finished tickets served at comprehensive windows."""
        return self.served_at_comprehensive / self.served if self.served else None


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in (0, 1]): the smallest value with at least q of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def hall_figures(hall: Hall, *, start: dt.date, end: dt.date) -> HallFigures:
    """Figures of the tickets taken from ``start`` to ``end`` (inclusive days, local time)."""
    figures = HallFigures(start=start, end=end)
    rows = list(
        Ticket.objects.filter(hall=hall, day__gte=start, day__lte=end).values_list(
            "status", "taken_at", "called_at", "started_at", "finished_at", "window__kind"
        )
    )
    figures.tickets = len(rows)
    figures.by_status = {s.value: 0 for s in Status}
    waits: list[float] = []
    services: list[float] = []
    hours: Counter[int] = Counter()
    for status, taken, called, started, finished, window_kind in rows:
        figures.by_status[status] = figures.by_status.get(status, 0) + 1
        hours[timezone.localtime(taken).hour] += 1
        if called is not None:
            waits.append((called - taken).total_seconds() / 60.0)
        if status == Status.DONE:
            figures.served += 1
            if window_kind == Window.Kind.COMPREHENSIVE:
                figures.served_at_comprehensive += 1
            if started is not None and finished is not None:
                services.append((finished - started).total_seconds() / 60.0)
    figures.called = len(waits)
    figures.average_wait_minutes = sum(waits) / len(waits) if waits else None
    figures.p90_wait_minutes = percentile(waits, 0.9)
    figures.average_service_minutes = sum(services) / len(services) if services else None
    figures.by_hour = sorted(hours.items())
    open_kinds = list(Window.objects.filter(hall=hall, is_open=True).values_list("kind", flat=True))
    figures.open_windows = len(open_kinds)
    figures.open_comprehensive_windows = sum(1 for k in open_kinds if k == Window.Kind.COMPREHENSIVE)
    return figures


def figures_as_dict(figures: HallFigures) -> dict[str, Any]:
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    return {
        "start": figures.start.isoformat(),
        "end": figures.end.isoformat(),
        "tickets": figures.tickets,
        "by_status": figures.by_status,
        "called": figures.called,
        "average_wait_minutes": rounded(figures.average_wait_minutes),
        "p90_wait_minutes": rounded(figures.p90_wait_minutes),
        "average_service_minutes": rounded(figures.average_service_minutes),
        "by_hour": [{"hour": h, "tickets": n} for h, n in figures.by_hour],
        "open_windows": figures.open_windows,
        "open_comprehensive_windows": figures.open_comprehensive_windows,
        "comprehensive_window_share": rounded(figures.comprehensive_window_share),
        "served": figures.served,
        "served_at_comprehensive": figures.served_at_comprehensive,
        "comprehensive_served_share": rounded(figures.comprehensive_served_share),
    }


# --- ratings (好差评) -----------------------------------------------------------------------------


def window_visit_act(ref: str) -> RatedAct | None:
    """A finished window visit as a rateable act; None for an unknown or unfinished ticket."""
    ticket = (
        Ticket.objects.select_related("hall__unit", "item", "bundle", "window")
        .filter(public_id=str(ref)[:24], status=Status.DONE)
        .first()
    )
    return _rated_act(ticket) if ticket is not None else None


def _rated_act(ticket: Ticket) -> RatedAct:
    window = ticket.window
    # A special window serves for the item's department; a comprehensive window for the hall's unit.
    if window is not None and window.kind == Window.Kind.SPECIAL and ticket.unit_id is not None:
        unit_id: int | None = ticket.unit_id
    else:
        unit_id = ticket.hall.unit_id
    where = f"{window.number}号窗口" if window is not None else ""
    assert ticket.finished_at is not None
    return RatedAct(
        kind="window_visit",
        ref=ticket.public_id,
        title=f"{ticket.hall.name} {where} {ticket.number} {ticket.matter}".replace("  ", " "),
        unit_id=unit_id,
        rater_user_id=ticket.user_id,
        rater_phone=ticket.phone,
        occurred_at=ticket.finished_at,
        served_by=frozenset({ticket.clerk_id} if ticket.clerk_id else set()),
    )


def window_visit_samples(limit: int) -> list[RatedAct]:
    """Recent finished visits (demo ratings)."""
    tickets = (
        Ticket.objects.select_related("hall__unit", "item", "bundle", "window")
        .filter(status=Status.DONE, finished_at__isnull=False)
        .order_by("-finished_at")[: max(0, int(limit))]
    )
    return [_rated_act(t) for t in tickets]


__all__ = [
    "FIGURE_ROLES",
    "HallFigures",
    "TicketProgress",
    "figures_as_dict",
    "hall_display_state",
    "hall_figures",
    "hall_for_figures",
    "hall_get",
    "halls_for",
    "kiosk_bundles",
    "kiosk_items",
    "people_ahead",
    "percentile",
    "recent_service_minutes",
    "ticket_by_public_id",
    "ticket_progress",
    "window_current_ticket",
    "window_for_clerk",
    "window_visit_act",
    "window_visit_samples",
    "windows_for_clerk",
]

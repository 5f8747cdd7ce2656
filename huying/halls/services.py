"""Writes for the service-hall queue. Keyword-only, one transaction each, optimistic concurrency on
``Ticket.version``: two clerks acting on the same ticket at once, one wins and the other gets
ConcurrentModification; two windows calling at once never get the same ticket (the claim is a
conditional UPDATE on status and version, and the loser moves on to the next waiting ticket)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.catalogue.models import Bundle, ServiceItem
from huying.core.errors import ConcurrentModification, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from huying.core.notify import send_sms
from huying.core.statemachine import versioned_update
from huying.core.validators import normalize_phone
from huying.organisations.models import OrgUnit
from huying.ratings.services import rating_invite_send

from . import errors
from .models import COMPREHENSIVE_PREFIX, Hall, Ticket, TicketCounter, Window
from .states import (
    AT_WINDOW_STATUSES,
    HOLDER,
    OPEN_STATUSES,
    TRANSITIONS,
    WINDOW_TRANSITIONS,
    Action,
    Channel,
    Status,
    WindowAction,
    WindowStatus,
    status_label,
)

# One phone (or account) may hold this many open tickets in a hall on one day: a kiosk is not a ticket printer.
MAX_OPEN_TICKETS_PER_PERSON = 3
# call_next tries this many candidates before giving up on a burst of competing windows.
CALL_ATTEMPTS = 10


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# --- who may act ---------------------------------------------------------------------------------


def _covers(paths: list[str], unit_path: str) -> bool:
    return bool(unit_path) and any(unit_path.startswith(p) for p in paths)


def hall_roles(actor: Actor, hall: Hall) -> set[str]:
    """Roles the actor holds in this hall: CLERK / HALL_MANAGER when their unit covers the hall's unit;
    ADMIN (and superusers) count as both; SUPERVISOR covering the hall may read its figures."""
    roles: set[str] = set()
    if not actor.is_authenticated:
        return roles
    path = hall.unit.path
    if actor.user.is_superuser or actor.has_role(Role.ADMIN):
        return {Role.CLERK, Role.HALL_MANAGER, Role.ADMIN}
    for role in (Role.CLERK, Role.HALL_MANAGER, Role.SUPERVISOR):
        if _covers(actor.unit_paths(role), path):
            roles.add(role)
    return roles


def ticket_roles(actor: Actor, ticket: Ticket, *, holder: bool = False) -> set[str]:
    roles = hall_roles(actor, ticket.hall)
    if holder or (actor.is_authenticated and ticket.user_id is not None and ticket.user_id == actor.user.pk):
        roles.add(HOLDER)
    return roles


def _require_clerk(clerk: Actor | User | AnonymousUser, hall: Hall) -> Actor:
    actor = actor_for(clerk)
    if Role.CLERK not in hall_roles(actor, hall):
        raise PermissionDenied(_("只有本大厅的窗口受理人员可以操作窗口。"))
    return actor


# --- taking a number -----------------------------------------------------------------------------


def queue_prefix_for(hall: Hall, unit: OrgUnit | None) -> str:
    """The letter of the queue a ticket joins: a special window's letter when one serves the item's unit."""
    if unit is None:
        return COMPREHENSIVE_PREFIX
    prefix = (
        Window.objects.filter(hall=hall, kind=Window.Kind.SPECIAL, units=unit)
        .order_by("number")
        .values_list("prefix", flat=True)
        .first()
    )
    return prefix or COMPREHENSIVE_PREFIX


def _next_sequence(hall: Hall, day: dt.date, prefix: str) -> int:
    """The day's next number for a queue. The UPDATE takes the counter row's lock (SQLite: the write lock),
    so two kiosks taking at once queue on it and get consecutive numbers, never the same."""
    TicketCounter.objects.get_or_create(hall=hall, day=day, prefix=prefix)  # a racing insert re-reads
    TicketCounter.objects.filter(hall=hall, day=day, prefix=prefix).update(last=F("last") + 1)
    return TicketCounter.objects.filter(hall=hall, day=day, prefix=prefix).values_list("last", flat=True).get()


def format_number(prefix: str, sequence: int) -> str:
    return f"{prefix}{sequence:03d}"


@transaction.atomic
def ticket_take(
    *,
    hall: Hall,
    item: ServiceItem | None = None,
    bundle: Bundle | None = None,
    phone: str = "",
    user: User | AnonymousUser | None = None,
    channel: str = Channel.KIOSK,
    now: dt.datetime | None = None,
) -> Ticket:
    """取号: a number for an item, a bundle (一件事) or, with neither, for 咨询."""
    now = _now(now)
    problems: dict[str, str] = {}
    if not hall.is_active:
        raise NotFound(_("该大厅不存在或已停用。"))
    if item is not None and bundle is not None:
        problems["item"] = _("请只选择一个事项或一件事。")
    if item is not None and not item.is_active:
        problems["item"] = _("该事项已停用，请重新选择。")
    if bundle is not None and not bundle.is_active:
        problems["bundle"] = _("该一件事已停用，请重新选择。")
    if channel not in Channel.values:
        problems["channel"] = _("取号方式无效。")
    normalized = ""
    if phone and phone.strip():
        try:
            normalized = normalize_phone(phone, field="phone")
        except ValidationFailed as exc:
            problems["phone"] = str(exc.message)
    if problems:
        raise ValidationFailed(data=problems)
    if not isinstance(user, User):
        user = None  # an anonymous kiosk or phone
    day = timezone.localdate(now)
    if normalized or user is not None:
        who = Q(phone=normalized) if normalized else Q()
        if user is not None:
            who |= Q(user=user)
        held = Ticket.objects.filter(who, hall=hall, day=day, status__in=OPEN_STATUSES).count()
        if held >= MAX_OPEN_TICKETS_PER_PERSON:
            raise ValidationFailed(
                _("您今天在本大厅已有%(n)d个未办结的排队号，请先办理或取消后再取号。")
                % {"n": MAX_OPEN_TICKETS_PER_PERSON},
                code=errors.TOO_MANY_TICKETS,
            )
    unit = item.unit if item is not None else None
    prefix = queue_prefix_for(hall, unit)
    number = format_number(prefix, _next_sequence(hall, day, prefix))
    return Ticket.objects.create(
        hall=hall,
        day=day,
        number=number,
        item=item,
        bundle=bundle,
        unit=unit,
        phone=normalized,
        user=user,
        channel=channel,
        status=Status.WAITING,
        taken_at=now,
    )


# --- transitions ---------------------------------------------------------------------------------


def _describe_refusal(ticket: Ticket) -> Callable[[str, str], str]:
    def describe(status: str, action: str) -> str:
        return _("排队号 %(number)s 当前为“%(status)s”，不能%(action)s。") % {
            "number": ticket.number,
            "status": status_label(status),
            "action": Action(action).label,
        }

    return describe


def _transition(
    *,
    ticket: Ticket,
    action: str,
    roles: set[str],
    expected_version: int | None,
    updates: dict[str, Any],
) -> Ticket:
    transition, _note = TRANSITIONS.check(
        source=ticket.status, action=action, roles=roles, describe=_describe_refusal(ticket)
    )
    version = ticket.version if expected_version is None else int(expected_version)
    try:
        versioned_update(
            Ticket.objects.filter(pk=ticket.pk, status=ticket.status),
            expected_version=version,
            status=transition.target,
            **updates,
        )
    except ConcurrentModification:
        current = Ticket.objects.filter(pk=ticket.pk).values_list("version", "status").first() or (None, None)
        raise ConcurrentModification(data={"current_version": current[0], "status": current[1]}) from None
    for key, value in updates.items():
        setattr(ticket, key, value)
    ticket.status = transition.target
    ticket.version = version + 1
    return ticket


def _announce(ticket: Ticket, window: Window) -> None:
    if ticket.phone:
        text = _("您的排队号 %(number)s 已叫号，请到 %(window)s 号窗口办理。") % {
            "number": ticket.number,
            "window": window.number,
        }
        phone = ticket.phone
        transaction.on_commit(lambda: send_sms(phone=phone, text=text))


def callable_tickets(window: Window, *, day: dt.date) -> Any:
    """Waiting tickets this window may call, earliest first: a comprehensive window any ticket; a special
    window only tickets whose item's unit is among its units."""
    qs = Ticket.objects.filter(hall_id=window.hall_id, day=day, status=Status.WAITING)
    if window.kind == Window.Kind.SPECIAL:
        qs = qs.filter(unit__in=window.units.all())
    return qs.order_by("taken_at", "pk")


def window_current_ticket(window: Window) -> Ticket | None:
    return (
        Ticket.objects.filter(window=window, status__in=AT_WINDOW_STATUSES)
        .select_related("item", "bundle", "hall")
        .order_by("-called_at")
        .first()
    )


@transaction.atomic
def window_call_next(
    *, window: Window, clerk: Actor | User | AnonymousUser, now: dt.datetime | None = None
) -> Ticket | None:
    """叫号: claim the earliest waiting ticket this window may serve; None when nobody is waiting."""
    now = _now(now)
    user = _require_clerk(clerk, window.hall).user
    if not window.is_open:
        raise ValidationFailed(_("本窗口已暂停服务，请先开放窗口再叫号。"), code=errors.WINDOW_CLOSED)
    current = window_current_ticket(window)
    if current is not None:
        raise InvalidTransition(
            _("本窗口的 %(number)s 号还未办结，请先办结或标记过号。") % {"number": current.number},
            code=errors.WINDOW_BUSY,
            data={"ticket": current.public_id},
        )
    if window.clerk_id != user.pk:
        Window.objects.filter(pk=window.pk).update(clerk=user)
        window.clerk = user
    day = timezone.localdate(now)
    for _attempt in range(CALL_ATTEMPTS):
        candidate = callable_tickets(window, day=day).first()
        if candidate is None:
            return None
        try:
            # A savepoint: a lost race rolls back nothing of ours, and we try the next waiting ticket.
            with transaction.atomic():
                ticket = _transition(
                    ticket=candidate,
                    action=Action.CALL,
                    roles={Role.CLERK},
                    expected_version=None,
                    updates={"called_at": now, "announced_at": now, "window": window, "clerk": user},
                )
        except ConcurrentModification:
            continue
        _announce(ticket, window)
        return ticket
    raise ConcurrentModification(_("叫号的窗口太多，请稍后再试。"))


def _at_window(
    *,
    ticket: Ticket,
    clerk: Actor | User | AnonymousUser,
    action: str,
    updates: dict[str, Any],
    expected_version: int | None,
) -> Ticket:
    actor = _require_clerk(clerk, ticket.hall)
    return _transition(
        ticket=ticket,
        action=action,
        roles=hall_roles(actor, ticket.hall),
        expected_version=expected_version,
        updates=updates,
    )


@transaction.atomic
def ticket_recall(
    *,
    ticket: Ticket,
    clerk: Actor | User | AnonymousUser,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """重呼: announce the number again (the display and the SMS); the wait time is not changed."""
    now = _now(now)
    ticket = _at_window(
        ticket=ticket,
        clerk=clerk,
        action=Action.RECALL,
        updates={"announced_at": now, "recalls": ticket.recalls + 1},
        expected_version=expected_version,
    )
    if ticket.window is not None:
        _announce(ticket, ticket.window)
    return ticket


@transaction.atomic
def ticket_start(
    *,
    ticket: Ticket,
    clerk: Actor | User | AnonymousUser,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    return _at_window(
        ticket=ticket,
        clerk=clerk,
        action=Action.START,
        updates={"started_at": _now(now), "clerk": actor_for(clerk).user},
        expected_version=expected_version,
    )


@transaction.atomic
def ticket_finish(
    *,
    ticket: Ticket,
    clerk: Actor | User | AnonymousUser,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """办结: the visit ends; the person rates it on the window's device or by the SMS link sent to the
    phone they gave when taking the number (never the clerk who served)."""
    updates: dict[str, Any] = {"finished_at": _now(now)}
    if ticket.clerk_id is None:
        updates["clerk"] = actor_for(clerk).user
    ticket = _at_window(
        ticket=ticket, clerk=clerk, action=Action.FINISH, updates=updates, expected_version=expected_version
    )
    rating_invite_send(kind="window_visit", ref=ticket.public_id)
    return ticket


@transaction.atomic
def ticket_no_show(
    *,
    ticket: Ticket,
    clerk: Actor | User | AnonymousUser,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    return _at_window(
        ticket=ticket,
        clerk=clerk,
        action=Action.NO_SHOW,
        updates={"finished_at": _now(now)},
        expected_version=expected_version,
    )


@transaction.atomic
def ticket_cancel(
    *,
    ticket: Ticket,
    actor: Actor | User | AnonymousUser,
    holder: bool = False,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """取消: by the holder (the account that took it, or whoever shows its public number) or hall staff."""
    roles = ticket_roles(actor_for(actor), ticket, holder=holder)
    return _transition(
        ticket=ticket,
        action=Action.CANCEL,
        roles=roles,
        expected_version=expected_version,
        updates={"finished_at": _now(now)},
    )


# --- windows -------------------------------------------------------------------------------------


@transaction.atomic
def window_set_open(
    *, window: Window, actor: Actor | User | AnonymousUser, is_open: bool, expected_version: int | None = None
) -> Window:
    """开放/暂停 a window. A window with a ticket at it cannot pause until that ticket is done."""
    roles = hall_roles(actor_for(actor), window.hall)
    transition, _note = WINDOW_TRANSITIONS.check(
        source=WindowStatus.OPEN if window.is_open else WindowStatus.PAUSED,
        action=WindowAction.OPEN if is_open else WindowAction.PAUSE,
        roles=roles,
    )
    if not is_open and window_current_ticket(window) is not None:
        raise InvalidTransition(_("本窗口还有未办结的排队号，办结或标记过号后才能暂停。"), code=errors.WINDOW_BUSY)
    version = window.version if expected_version is None else int(expected_version)
    versioned_update(Window.objects.filter(pk=window.pk), expected_version=version, is_open=is_open)
    window.is_open = transition.target == WindowStatus.OPEN
    window.version = version + 1
    return window

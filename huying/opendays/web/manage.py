"""The organiser's pages: events, quotas, registrants, the lottery and the draw, replacements, the
programme, the forum and its assignments, the figures. Each form posts an ``op`` to the event page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError, ValidationFailed
from huying.core.personal_data import mask_value
from huying.organisations.models import OrgUnit

from .. import selectors, services, states
from ..models import Event, ForumItem
from ..permissions import managed_event
from ..services.draw import replacement_pick, replacement_publish

ORGANISERS = (Role.OPEN_DAY_ORGANISER,)


def _when(value: str, field: str) -> dt.datetime:
    parsed = parse_datetime((value or "").strip())
    if parsed is None:
        raise ValidationFailed(_("请填写有效的日期和时间。"), data={field: _("日期时间无效。")})
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _day(value: str, field: str) -> dt.date:
    parsed = parse_date((value or "").strip())
    if parsed is None:
        raise ValidationFailed(_("请填写有效的日期。"), data={field: _("日期无效。")})
    return parsed


def _units(actor: Actor) -> list[OrgUnit]:
    paths = actor.unit_paths(Role.OPEN_DAY_ORGANISER)
    return [u for u in OrgUnit.objects.filter(is_active=True) if any(u.path.startswith(p) for p in paths)]


@role_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, actor: Actor) -> HttpResponse:
    units = _units(actor)
    error = ""
    if request.method == "POST":
        post = request.POST
        try:
            unit = next((u for u in units if str(u.pk) == post.get("unit")), None)
            if unit is None:
                raise ValidationFailed(_("请选择主办单位。"))
            past = (
                selectors.managed_events(actor).filter(pk=int(post["sitting_of"])).first()
                if (post.get("sitting_of") or "").isdigit()
                else None
            )
            event = services.event_create(
                actor=actor,
                unit=unit,
                title=post.get("title", ""),
                area=post.get("area", ""),
                venue=post.get("venue", ""),
                description=post.get("description", ""),
                starts_at=_when(post.get("starts_at", ""), "starts_at"),
                registration_ends_at=_when(post.get("registration_ends_at", ""), "registration_ends_at"),
                panel_size=int(post.get("panel_size") or 0),
                seed_source=post.get("seed_source", ""),
                exclusions=post.get("exclusions", "").splitlines(),
                one_per_household=bool(post.get("one_per_household")),
                kind=Event.Kind.SITTING if past else Event.Kind.OPEN_DAY,
                sitting_of=past,
            )
            messages.success(request, _("开放日已创建，请设定名额后公告。"))
            return redirect("opendays:manage_event", event_id=event.pk)
        except ValueError:
            error = _("参加人数须为整数。")
        except HuyingError as exc:
            error = str(exc.message)
    context = {"events": selectors.managed_events(actor), "units": units, "error": error}
    return render(request, "opendays/manage.html", context, status=400 if error else 200)


def _op_transition(request: HttpRequest, actor: Actor, event: Event) -> str:
    services.event_transition(actor=actor, event=event, action=request.POST.get("action", ""))
    return _("状态已更新。")


def _op_quotas(request: HttpRequest, actor: Actor, event: Event) -> str:
    services.quotas_set(actor=actor, event=event, text=request.POST.get("quotas", ""))
    return _("名额已保存。")


def _op_shares(request: HttpRequest, actor: Actor, event: Event) -> str:
    tolerance = request.POST.get("tolerance", "1")
    if not tolerance.isdigit():
        raise ValidationFailed(_("浮动人数须为非负整数。"))
    services.quotas_from_population(
        actor=actor, event=event, shares_text=request.POST.get("shares", ""), tolerance=int(tolerance)
    )
    return _("已按人口比例生成名额。")


def _op_programme(request: HttpRequest, actor: Actor, event: Event) -> str:
    post = request.POST
    services.programme_add(
        actor=actor,
        event=event,
        starts_at=_when(post.get("starts_at", ""), "starts_at"),
        place=post.get("place", ""),
        activity=post.get("activity", ""),
        host=post.get("host", ""),
    )
    return _("日程已添加。")


def _op_exclude(request: HttpRequest, actor: Actor, event: Event) -> str:
    reg = event.registrations.filter(number=request.POST.get("number", "")).first()
    if reg is None:
        raise ValidationFailed(_("报名编号不存在。"))
    services.registration_act(actor=actor, registration=reg, action="exclude", note=request.POST.get("note", ""))
    return _("已标记为不符合条件。")


def _op_lottery(request: HttpRequest, actor: Actor, event: Event) -> str:
    drawn = services.lottery_publish(actor=actor, event=event)
    return _("抽签方案已公布：%(m)d个等可能的名单，摘要 %(d)s。") % {"m": len(drawn.panels), "d": drawn.digest[:16]}


def _op_draw(request: HttpRequest, actor: Actor, event: Event) -> str:
    drawn = services.draw_run(actor=actor, event=event, seed=request.POST.get("seed", ""))
    return _("抽签完成：第%(i)d号名单入选。") % {"i": drawn.index}


def _op_answer(request: HttpRequest, actor: Actor, event: Event) -> str:
    reg = event.registrations.filter(number=request.POST.get("number", "")).first()
    if reg is None:
        raise ValidationFailed(_("报名编号不存在。"))
    services.registration_act(actor=actor, registration=reg, action=request.POST.get("action", ""))
    return _("已记录。")


def _op_replacements(request: HttpRequest, actor: Actor, event: Event) -> str:
    drawn = replacement_publish(actor=actor, event=event)
    return _("替补方案已公布（%(n)d个名额），请在现场产生公开种子后抽签。") % {"n": drawn.seats}


def _op_pick(request: HttpRequest, actor: Actor, event: Event) -> str:
    reg = replacement_pick(actor=actor, event=event, number=request.POST.get("number", ""))
    return _("已邀请 %(n)s 递补。") % {"n": reg.number}


def _op_forum(request: HttpRequest, actor: Actor, event: Event) -> str:
    post = request.POST
    services.forum_record(
        actor=actor,
        event=event,
        number=post.get("number", ""),
        text=post.get("text", ""),
        kind=post.get("kind", ForumItem.Kind.QUESTION),
        answered_by=post.get("answered_by", ""),
        answer=post.get("answer", ""),
    )
    return _("已记录。")


def _op_assign(request: HttpRequest, actor: Actor, event: Event) -> str:
    post = request.POST
    item_id, owner_id = post.get("item") or "", post.get("owner") or ""
    item = event.forum_items.filter(pk=int(item_id)).first() if item_id.isdigit() else None
    owner = OrgUnit.objects.filter(pk=int(owner_id), is_active=True).first() if owner_id.isdigit() else None
    if item is None or owner is None:
        raise ValidationFailed(_("请选择事项和责任单位。"))
    item = services.forum_assign(
        actor=actor,
        item=item,
        owner=owner,
        promised_by=_day(post.get("promised_by", ""), "promised_by"),
        note=post.get("note", ""),
    )
    return _("已交办，工单号 %(n)s。") % {"n": item.appeal.number if item.appeal else ""}


OPS: dict[str, Callable[[HttpRequest, Actor, Event], str]] = {
    "transition": _op_transition,
    "quotas": _op_quotas,
    "shares": _op_shares,
    "programme": _op_programme,
    "exclude": _op_exclude,
    "lottery": _op_lottery,
    "draw": _op_draw,
    "answer": _op_answer,
    "replacements": _op_replacements,
    "pick": _op_pick,
    "forum": _op_forum,
    "assign": _op_assign,
}


def _context(actor: Actor, event: Event) -> dict[str, Any]:
    regs = list(event.registrations.order_by("number"))
    for r in regs:
        r.masked_phone = mask_value(r.phone, "phone")  # type: ignore[attr-defined]
    return {
        "event": event,
        "quotas_csv": "feature,value,min,max,population_share\n"
        + "".join(
            f"{q.category},{q.value},{q.min},{q.max},{'' if q.population_share is None else q.population_share}\n"
            for q in event.quotas.all()
        ),
        "registrations": regs,
        "draws": selectors.draws(event),
        "open_seats": services.seats_open(event) if event.status == states.DRAWN else 0,
        "pending_draw": event.draws.filter(drawn_at__isnull=True).first(),
        "items": event.forum_items.select_related("raised_by", "appeal", "owner"),
        "owners": OrgUnit.objects.filter(
            is_active=True, kind__in=(OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.TOWNSHIP, OrgUnit.Kind.ENTERPRISE)
        ).order_by("path")[:200],
        "actions": [
            t.action
            for t in states.EVENT_TRANSITIONS.from_state(event.status)
            if t.action not in ("publish_lottery", "draw")
        ],
        "figures": selectors.figures(event),
    }


@role_required(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def manage_event(request: HttpRequest, actor: Actor, event_id: int) -> HttpResponse:
    event = managed_event(actor, event_id)
    if request.method == "POST":
        handler = OPS.get(request.POST.get("op", ""))
        if handler is None:
            messages.error(request, _("未知操作。"))
        else:
            try:
                messages.success(request, handler(request, actor, event))
            except HuyingError as exc:
                messages.error(request, str(exc.message))
        return redirect("opendays:manage_event", event_id=event.pk)
    return render(request, "opendays/manage_event.html", _context(actor, event))


@role_required(*ORGANISERS)
@require_http_methods(["GET"])
def figures(request: HttpRequest, actor: Actor, event_id: int) -> HttpResponse:
    event = managed_event(actor, event_id)
    return render(request, "opendays/figures.html", {"event": event, "figures": selectors.figures(event)})

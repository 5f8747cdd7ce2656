"""Rating an act (一次一评/一事一评): who may rate it, until when, and the case a 差评 opens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huying.accounts.models import User
from huying.accounts.selectors import actor_for
from huying.core.errors import NotFound, PermissionDenied, ValidationFailed
from huying.core.registry import RatedAct, rating_acts
from huying.core.workdays import WorkCalendar

from .. import errors
from ..models import Rating, RectificationCase
from ..states import (
    BAD_LEVELS,
    STAFF_CHANNEL_ROLES,
    STAFF_ENTRY_ROLES,
    CaseStatus,
    Channel,
    Level,
    Source,
    dimensions_for,
)
from .base import record_event, rectify_due_at, rectify_workdays, tell_rater, window_workdays

MAX_COMMENT = 500
ALREADY_RATED = "该事项已评价，每件只能评价一次"


def rated_act_resolve(*, kind: str, ref: str) -> RatedAct:
    """The act as its loop describes it; an unknown kind or ref is NotFound."""
    kind, ref = (kind or "").strip(), (ref or "").strip()
    if not kind or not ref:
        raise NotFound(_("评价事项不存在。"))
    try:
        resolver = rating_acts.get(kind)
    except KeyError:
        raise NotFound(_("评价事项不存在。")) from None
    act = resolver(ref)
    if act is None:
        raise NotFound(_("评价事项不存在。"))
    return act  # type: ignore[no-any-return]


def _clean_level(level: Any) -> int | None:
    if isinstance(level, bool):
        return None
    if isinstance(level, int):
        value = level
    elif isinstance(level, str) and level.strip().isdigit():
        value = int(level.strip())
    else:
        return None
    return value if value in Level.values else None


def _clean_dimensions(channel: str, dimensions: Any) -> tuple[dict[str, int], str | None]:
    if dimensions in (None, ""):
        return {}, None
    allowed = dimensions_for(channel)
    if not isinstance(dimensions, dict):
        return {}, _("分项评分格式不正确。")
    cleaned: dict[str, int] = {}
    for key, value in dimensions.items():
        if value in (None, ""):
            continue
        if key not in allowed:
            names = "、".join(str(v) for v in allowed.values())
            return {}, _("该渠道的分项评价为：%(names)s。") % {"names": names}
        score = _clean_level(value)
        if score is None:
            return {}, _("「%(name)s」的评分应为1到5。") % {"name": allowed[key]}
        cleaned[key] = score
    return cleaned, None


def rating_clean(
    *, kind: str, ref: str, level: Any, channel: str, comment: str = "", dimensions: Any = None
) -> dict[str, Any]:
    """Check what the rater typed; every problem at once, by field, in Chinese."""
    problems: dict[str, str] = {}
    if not (kind or "").strip():
        problems["kind"] = _("缺少评价对象类型。")
    if not (ref or "").strip():
        problems["ref"] = _("缺少评价事项编号。")
    value = _clean_level(level)
    if value is None:
        problems["level"] = _("请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意。")
    if channel not in Channel.values:
        problems["channel"] = _("评价渠道无效。")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        problems["comment"] = _("评价内容不能超过%(n)d字。") % {"n": MAX_COMMENT}
    elif value is not None and value in BAD_LEVELS and not comment:
        problems["comment"] = _("差评请简要写明不满意的原因，便于核实整改。")
    cleaned_dims: dict[str, int] = {}
    if channel in Channel.values:
        cleaned_dims, dim_error = _clean_dimensions(channel, dimensions)
        if dim_error:
            problems["dimensions"] = dim_error
    if problems:
        raise ValidationFailed(data=problems)
    return {"level": value, "comment": comment, "dimensions": cleaned_dims}


def refuse_own_act(act: RatedAct, user: User | AnonymousUser | None) -> None:
    """The clerk who served, the reviewer who decided: never the rater of their own act (51号: the
    served person rates), neither for themselves nor "on behalf"."""
    if user is not None and getattr(user, "is_authenticated", False) and user.pk in act.served_by:
        raise PermissionDenied(
            _("不能评价本人办理或审批的事项：请办事人本人在窗口评价器、短信链接或网上评价。"), code=errors.OWN_ACT
        )


def _entitled(
    act: RatedAct, *, user: User | AnonymousUser | None, staff: User | AnonymousUser | None, channel: str
) -> tuple[int | None, User | None, str]:
    """(rater user id, staff who entered it, source); NotFound when neither may rate this act."""
    if (
        isinstance(staff, User)
        and channel in STAFF_CHANNEL_ROLES
        and actor_for(staff).role_names() & STAFF_CHANNEL_ROLES[channel]
    ):
        refuse_own_act(act, staff)
        return act.rater_user_id, staff, Source.HOTLINE if channel == Channel.HOTLINE else Source.STAFF
    if isinstance(user, User) and act.rater_user_id is not None and user.pk == act.rater_user_id:
        refuse_own_act(act, user)
        if channel in (Channel.DEVICE, Channel.HOTLINE):
            message = _("窗口评价器和12345热线的评价由工作人员录入，请选择网上评价渠道。")
            raise ValidationFailed(message, data={"channel": message})
        return user.pk, None, Source.ONLINE
    raise NotFound(_("评价事项不存在。"))


def rating_entry_mode(*, act: RatedAct, user: User | AnonymousUser) -> str:
    """How ``user`` may rate ``act`` on a page: ``"rater"`` (their own act) or ``"staff"`` (entering
    it on a hall device, kiosk or the 12345 line); NotFound for anyone else."""
    if getattr(user, "is_authenticated", False):
        refuse_own_act(act, user)
        if act.rater_user_id is not None and user.pk == act.rater_user_id:
            return "rater"
        if actor_for(user).role_names() & STAFF_ENTRY_ROLES:
            return "staff"
    raise NotFound(_("评价事项不存在。"))


def staff_channels(user: User) -> list[str]:
    """The channels this staff user may enter ratings on."""
    names = actor_for(user).role_names()
    return [channel for channel, roles in STAFF_CHANNEL_ROLES.items() if names & roles]


def rating_window_closes_at(act: RatedAct, calendar: WorkCalendar | None = None) -> dt.datetime:
    return (calendar or WorkCalendar()).deadline_in_workdays(act.occurred_at, window_workdays())


def rating_submit(
    *,
    kind: str,
    ref: str,
    level: int,
    channel: str,
    user: User | AnonymousUser | None = None,
    staff: User | AnonymousUser | None = None,
    comment: str = "",
    dimensions: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Rating:
    """Record the one rating of an act (一次一评/一事一评).

    Preconditions: valid level, channel, comment and dimension scores (else ValidationFailed by
    field); the act resolves through ``rating_acts`` (else NotFound); ``user`` is the act's rater,
    or ``staff`` enters it on a hall device, kiosk or the 12345 line with a role for that channel
    (else NotFound); within ``window_workdays()`` working days of the act (else ValidationFailed
    ``rating_window_closed``); not yet rated (else ValidationFailed ``already_rated``).
    Effects: the rating; for a 差评 (level ≤ 2) a rectification case due in
    ``rectify_workdays()`` working days and an SMS to the rater.
    """
    now = now or timezone.now()
    cleaned = rating_clean(kind=kind, ref=ref, level=level, channel=channel, comment=comment, dimensions=dimensions)
    act = rated_act_resolve(kind=kind.strip(), ref=ref.strip())
    rater_id, entered_by, source = _entitled(act, user=user, staff=staff, channel=channel)
    phone = act.rater_phone or (getattr(user, "phone", "") if rater_id is not None and entered_by is None else "")
    return record_rating(
        act, cleaned, channel=channel, source=source, rater_id=rater_id, entered_by=entered_by, phone=phone, now=now
    )


def record_rating(
    act: RatedAct,
    cleaned: dict[str, Any],
    *,
    channel: str,
    source: str,
    rater_id: int | None,
    entered_by: User | None,
    phone: str,
    now: dt.datetime,
) -> Rating:
    """The one rating of ``act`` (the rater already checked): within the window, not yet rated;
    实名 only when the served person rated themselves (their account or the phone the link went to)."""
    calendar = WorkCalendar()
    closes_at = rating_window_closes_at(act, calendar)
    if now > closes_at:
        raise ValidationFailed(
            ngettext(
                "已超过评价期限：办事之日起%(n)d个工作日内可以评价（本事项截至 %(date)s）。",
                "已超过评价期限：办事之日起%(n)d个工作日内可以评价（本事项截至 %(date)s）。",
                window_workdays(),
            )
            % {"n": window_workdays(), "date": f"{timezone.localtime(closes_at):%Y-%m-%d}"},
            code=errors.RATING_WINDOW_CLOSED,
        )
    already = ValidationFailed(_(ALREADY_RATED), code=errors.ALREADY_RATED)
    real_name = source == Source.SMS or (source == Source.ONLINE and rater_id is not None)
    with transaction.atomic():
        if Rating.objects.filter(kind=act.kind, ref=act.ref).exists():
            raise already
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    kind=act.kind,
                    ref=act.ref,
                    title=(act.title or "")[:200],
                    level=cleaned["level"],
                    channel=channel,
                    source=source,
                    unit_id=act.unit_id,
                    rater_id=rater_id,
                    rater_phone=(phone or "")[:20],
                    is_real_name=real_name,
                    entered_by=entered_by,
                    comment=cleaned["comment"],
                    dimensions=cleaned["dimensions"],
                    occurred_at=act.occurred_at,
                    created_at=now,
                )
        except IntegrityError:
            raise already from None
        if rating.level in BAD_LEVELS:
            _open_case(rating, now=now, calendar=calendar)
    return rating


def _open_case(rating: Rating, *, now: dt.datetime, calendar: WorkCalendar) -> RectificationCase:
    case = RectificationCase.objects.create(
        rating=rating,
        unit_id=rating.unit_id,
        status=CaseStatus.OPEN,
        due_at=rectify_due_at(now, calendar),
        created_at=now,
    )
    record_event(case, action="opened", from_status="", actor=None, now=now, data={"level": rating.level})
    tell_rater(
        rating,
        ngettext(
            "您对“%(title)s”的评价已收到。承办单位将在%(n)d个工作日内核实整改并向您反馈，感谢您的监督。",
            "您对“%(title)s”的评价已收到。承办单位将在%(n)d个工作日内核实整改并向您反馈，感谢您的监督。",
            rectify_workdays(),
        ),
    )
    return case

"""The served person rates without an account (国办发〔2019〕51号: 现场服务"一次一评"、网上服务"一事一评",
rated by the person served): a link with a signed token, sent by SMS to the phone they gave or shown
on the window's rating device. The token names the act and how it came (短信 / 现场评价器) and
expires; it rates once, as the act has one rating.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huying.accounts.models import User
from huying.core.errors import NotFound, ValidationFailed
from huying.core.notify import send_sms

from .. import errors
from ..models import Rating
from ..states import Channel, Source
from .submit import rated_act_resolve, rating_clean, record_rating, refuse_own_act

SALT = "huying.ratings.link"
LINK_CHANNELS = {Source.SMS: Channel.SMS, Source.DEVICE: Channel.DEVICE}


@dataclass(frozen=True)
class RatingLink:
    kind: str
    ref: str
    source: str
    back: str  # where a rating device returns after the rating ("" for an SMS link)


def link_max_age(source: str) -> int:
    """Seconds a link stays valid: an SMS link for the rating window's days, a device's for minutes."""
    if source == Source.DEVICE:
        return int(getattr(settings, "HUYING_RATING_DEVICE_SECONDS", 15 * 60))
    return int(getattr(settings, "HUYING_RATING_LINK_DAYS", 7)) * 86400


def rating_link_token(*, kind: str, ref: str, source: str, back: str = "") -> str:
    if source not in LINK_CHANNELS:
        raise ValueError(source)
    return signing.dumps({"k": kind, "r": ref, "s": source, "b": back}, salt=SALT, compress=True)


def rating_link_read(token: str) -> RatingLink:
    """The link's act; ValidationFailed ``rating_link_invalid`` / ``rating_link_expired`` otherwise."""
    try:
        data = signing.loads(str(token or ""), salt=SALT)
        source = str(data["s"])
        signing.loads(str(token), salt=SALT, max_age=link_max_age(source))
    except signing.SignatureExpired:
        raise ValidationFailed(_("评价链接已过期。"), code=errors.LINK_EXPIRED) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationFailed(_("评价链接无效，请使用短信或评价器上的完整链接。"), code=errors.LINK_INVALID) from None
    if source not in LINK_CHANNELS:
        raise ValidationFailed(_("评价链接无效，请使用短信或评价器上的完整链接。"), code=errors.LINK_INVALID)
    return RatingLink(kind=str(data["k"]), ref=str(data["r"]), source=source, back=str(data.get("b") or ""))


def rating_link_path(token: str) -> str:
    return reverse("ratings:link", args=[token])


def _site_url() -> str:
    configured = getattr(settings, "HUYING_SITE_URL", "")
    return str(configured or f"http://localhost:{os.environ.get('PORT', '8000')}").rstrip("/")


def rating_invite_send(*, kind: str, ref: str) -> bool:
    """An SMS with a rating link to the phone the person gave for the act (ticket, application or
    appeal phone), once the transaction commits; False when there is no phone or it is rated."""
    try:
        act = rated_act_resolve(kind=kind, ref=ref)
    except NotFound:
        return False
    if not act.rater_phone or Rating.objects.filter(kind=act.kind, ref=act.ref).exists():
        return False
    token = rating_link_token(kind=act.kind, ref=act.ref, source=Source.SMS)
    title = f"{act.ref} {act.title}" if act.title and act.ref not in act.title else (act.title or act.ref)
    days = link_max_age(Source.SMS) // 86400
    text = ngettext(
        "请评价本次服务（%(title)s）：%(url)s 无需登录，%(days)d天内有效，每件事项评价一次。",
        "请评价本次服务（%(title)s）：%(url)s 无需登录，%(days)d天内有效，每件事项评价一次。",
        days,
    ) % {"title": title, "url": _site_url() + rating_link_path(token), "days": days}
    transaction.on_commit(functools.partial(send_sms, phone=act.rater_phone, text=text))
    return True


def rating_submit_by_link(
    *,
    token: str,
    level: Any,
    comment: str = "",
    dimensions: dict[str, Any] | None = None,
    user: User | AnonymousUser | None = None,
    now: dt.datetime | None = None,
) -> Rating:
    """The served person's rating through a link (source 短信 or 现场评价器, no account needed).

    Refused: a bad or expired token (ValidationFailed), someone signed in whose own act it is (the
    clerk at his own window: PermissionDenied ``own_act``), a closed window or an act already rated.
    """
    now = now or timezone.now()
    link = rating_link_read(token)
    channel = LINK_CHANNELS[Source(link.source)]
    cleaned = rating_clean(
        kind=link.kind, ref=link.ref, level=level, channel=channel, comment=comment, dimensions=dimensions
    )
    act = rated_act_resolve(kind=link.kind, ref=link.ref)
    refuse_own_act(act, user)
    return record_rating(
        act,
        cleaned,
        channel=channel,
        source=link.source,
        rater_id=act.rater_user_id,
        entered_by=None,
        phone=act.rater_phone,
        now=now,
    )

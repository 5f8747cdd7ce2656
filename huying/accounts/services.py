"""Sign-in for every path (the site's login page, /admin/login/, the API token endpoint): one
throttle and one audit trail (ADR 0015).

Failures are counted per username and address: ``HUYING_LOGIN_MAX_FAILURES`` within the window
lock that username from that address only, so nobody elsewhere can lock an account's owner out.
``HUYING_LOGIN_MAX_ADDRESS_FAILURES`` counts every failure from one address, a ceiling high enough
for a service hall's windows behind one address. A locked login is refused even with the right
password. A success forgets the pair's failures; an administrator unlocks in the admin or with
``manage.py unlock_login``. Failures, refusals, unlocks and a success after a lock are audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.clientip import client_ip as client_address
from huying.core.errors import Throttled, ValidationFailed
from huying.core.models import AuditLog
from huying.core.services import audit_record

from . import errors
from .models import LoginFailure, User
from .selectors import Actor


def _window_start(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.HUYING_LOGIN_WINDOW_SECONDS)


def _lock(username: str, ip: str | None, now: dt.datetime) -> str | None:
    """The error code of the lock on this username at this address, or None when it may try."""
    recent = LoginFailure.objects.filter(created_at__gte=_window_start(now))
    if recent.filter(username=username, ip_address=ip).count() >= settings.HUYING_LOGIN_MAX_FAILURES:
        return errors.LOGIN_LOCKED
    if ip is not None and recent.filter(ip_address=ip).count() >= settings.HUYING_LOGIN_MAX_ADDRESS_FAILURES:
        return errors.ADDRESS_LOCKED
    return None


def _locked_message(code: str) -> str:
    minutes = max(1, settings.HUYING_LOGIN_WINDOW_SECONDS // 60)
    if code == errors.ADDRESS_LOCKED:
        return _("本地址登录失败次数过多，已暂时锁定。请%(minutes)d分钟后再试，或请系统管理员解锁。") % {
            "minutes": minutes
        }
    return _("该账号在本地址登录失败次数过多，已暂时锁定。请%(minutes)d分钟后再试，或请系统管理员解锁。") % {
        "minutes": minutes
    }


def login_check(*, request: Any, username: str, password: str, now: dt.datetime | None = None) -> Any:
    """Return the authenticated user, or raise Throttled / ValidationFailed. Failures are counted."""
    now = now or timezone.now()
    ip = client_address(request)
    username = username[:150]
    lock = _lock(username, ip, now)
    if lock is not None:
        audit_record(
            kind=AuditLog.Kind.LOGIN_LOCKED,
            actor=None,
            summary=f"登录被限制：{username[:100]}",
            data={"username": username, "reason": lock},
            ip_address=ip,
        )
        raise Throttled(_locked_message(lock), code=lock)
    user = authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=username, ip_address=ip)
        audit_record(
            kind=AuditLog.Kind.LOGIN_FAILED,
            actor=None,
            summary=f"登录失败：{username[:100]}",
            data={"username": username},
            ip_address=ip,
        )
        raise ValidationFailed(_("用户名或密码不正确。"), code=errors.INVALID_CREDENTIALS)
    earlier = LoginFailure.objects.filter(username=username, ip_address=ip)
    if earlier.count() >= settings.HUYING_LOGIN_MAX_FAILURES:
        audit_record(
            kind=AuditLog.Kind.LOGIN_AFTER_LOCK,
            actor=user,
            summary=f"锁定后登录成功：{username[:100]}",
            data={"username": username},
            ip_address=ip,
        )
    earlier.delete()
    return user


def login_unlock(
    *, username: str | None = None, ip_address: str | None = None, actor: Actor | User | None = None
) -> int:
    """Forget the failures of ``username`` (from ``ip_address`` only, when given), or of every
    username at ``ip_address``: the lock lifts at once. Returns the number of failures forgotten."""
    if not username and not ip_address:
        raise ValidationFailed(_("请指定用户名或登录地址。"))
    failures = LoginFailure.objects.all()
    if username:
        failures = failures.filter(username=username)
    if ip_address:
        failures = failures.filter(ip_address=ip_address)
    forgotten, _rows = failures.delete()
    who = actor.user if isinstance(actor, Actor) else actor
    audit_record(
        kind=AuditLog.Kind.LOGIN_UNLOCKED,
        actor=who,
        summary=f"解除登录锁定：{username or '*'} @ {ip_address or '*'}",
        data={"username": username or "", "ip_address": ip_address or "", "failures": forgotten},
        ip_address=None,
    )
    return forgotten


def login_failures_sweep(now: dt.datetime | None = None) -> int:
    """Forget failures older than a day (the window is minutes; a day keeps a lock's story readable)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=1)
    deleted, _rows = LoginFailure.objects.filter(created_at__lt=cutoff).delete()
    return deleted

"""Login with throttling: too many failures per username or IP lock the form for a while."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Q
from django.utils import timezone

from huying.core.errors import Throttled, ValidationFailed
from huying.core.models import AuditLog
from huying.core.services import audit_record

from .errors import INVALID_CREDENTIALS
from .models import LoginFailure


def login_check(*, request: Any, username: str, password: str, now: dt.datetime | None = None) -> Any:
    """Return the authenticated user, or raise Throttled / ValidationFailed. Failures are counted."""
    now = now or timezone.now()
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    window_start = now - dt.timedelta(seconds=settings.HUYING_LOGIN_WINDOW_SECONDS)
    failures = LoginFailure.objects.filter(
        Q(username=username) | Q(ip_address=ip, ip_address__isnull=False), created_at__gte=window_start
    ).count()
    if failures >= settings.HUYING_LOGIN_MAX_FAILURES:
        audit_record(kind=AuditLog.Kind.LOGIN_LOCKED, actor=None, summary=f"登录被限制：{username}", ip_address=ip)
        raise Throttled("登录失败次数过多，请15分钟后再试。")
    user = authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=username[:150], ip_address=ip)
        audit_record(kind=AuditLog.Kind.LOGIN_FAILED, actor=None, summary=f"登录失败：{username[:100]}", ip_address=ip)
        raise ValidationFailed("用户名或密码不正确。", code=INVALID_CREDENTIALS)
    LoginFailure.objects.filter(username=username).delete()
    return user

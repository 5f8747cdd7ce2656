from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from .roles import Role


class User(AbstractUser):
    """Staff and citizens alike. A user with no role assignment is a citizen."""

    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, db_index=True)
    # 实名认证: the citizen's 公民身份号码 (validated, masked on every page); their licences and
    # applications are found by it. Blank for staff and for citizens not yet verified.
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True, db_index=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleAssignment(models.Model):
    """A role held by a user within an org unit (and its subtree)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="role_assignments")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "org_unit"], name="role_assignment_unique")]
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org_unit}"


class LoginFailure(models.Model):
    """A failed login, counted per username and address, and per address alone (ADR 0015)."""

    username = models.CharField(_("用户名"), max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(_("登录地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "created_at"], name="login_failure_address")]
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip_address}"


class ApiToken(models.Model):
    """An API token (ADR 0015): only its SHA-256 is stored; it expires, and its owner or an
    administrator can revoke it. ``last_used_at`` is written at most once a minute."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("令牌前缀"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("吊销人")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… · {self.user}"

    def is_live(self, now: dt.datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

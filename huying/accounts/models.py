from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
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
    """Failed logins, counted per username and IP for throttling."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip_address}"

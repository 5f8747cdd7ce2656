"""电子证照: licence types, licences (versioned), signing keys (public halves), the replay store,
use records (用证记录) and authorisations (授权用证)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from . import types
from .states import LicenceStatus

__all__ = ["LicenceStatus"]  # re-exported: callers import it with the models


class HolderKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ENTERPRISE = "enterprise", _("法人和其他组织")


# 持证主体代码类型 (GB/T 36903): 111 = 公民身份号码, 001 = 统一社会信用代码.
HOLDER_CODE_TYPES = {HolderKind.PERSON: types.PERSON, HolderKind.ENTERPRISE: types.ENTERPRISE}
HOLDER_KIND_BY_CODE_TYPE = {v: k for k, v in HOLDER_CODE_TYPES.items()}


class LicenceSource(models.TextChoices):
    ISSUED = "issued", _("本系统签发")
    IMPORTED = "imported", _("批量导入")


class UseVia(models.TextChoices):
    SCAN = "scan", _("窗口扫码")
    API = "api", _("接口核验")


class LicenceType(models.Model):
    """电子证照类型 (证照目录)."""

    code = models.CharField(_("证照类型代码"), max_length=21, unique=True)
    name = models.CharField(_("证照类型名称"), max_length=100)
    holder_kind = models.CharField(_("持证主体类别"), max_length=12, choices=HolderKind.choices)
    definer = models.CharField(_("证照定义机构"), max_length=100, blank=True)
    valid_years = models.PositiveSmallIntegerField(_("有效年限"), null=True, blank=True, help_text=_("空为长期有效"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("证照类型")
        verbose_name_plural = _("证照类型")

    def __str__(self) -> str:
        return self.name

    @property
    def holder_code_type(self) -> str:
        return HOLDER_CODE_TYPES[HolderKind(self.holder_kind)]


class Licence(models.Model):
    """One version of an e-licence. Re-issuing makes a new row (version + 1) and supersedes this one."""

    identifier = models.CharField(_("电子证照标识"), max_length=160, unique=True)
    type = models.ForeignKey(LicenceType, on_delete=models.PROTECT, related_name="licences", verbose_name=_("证照类型"))
    issuer_name = models.CharField(_("证照颁发机构"), max_length=100)
    issuer_credit_code = models.CharField(_("证照颁发机构代码"), max_length=18)
    issuer_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("颁发单位")
    )
    serial = models.CharField(_("流水号"), max_length=64)
    version = models.PositiveSmallIntegerField(_("版本号"), default=1)
    number = models.CharField(_("证照编号"), max_length=100, blank=True)
    holder_kind = models.CharField(_("持证主体类别"), max_length=12, choices=HolderKind.choices)
    holder_code = models.CharField(_("持证主体代码"), max_length=18, db_index=True)
    holder_name = models.CharField(_("持证主体"), max_length=100)
    data = models.JSONField(_("证照信息"), default=dict, blank=True)
    issued_on = models.DateField(_("颁发日期"))
    valid_from = models.DateField(_("有效期起始日期"))
    valid_until = models.DateField(_("有效期截止日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.VALID, db_index=True
    )
    revoked_reason = models.CharField(_("吊销原因"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=LicenceSource.choices, default=LicenceSource.ISSUED)
    source_ref = models.CharField(_("来源编号"), max_length=100, blank=True)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
        verbose_name=_("上一版本"),
    )
    row_version = models.PositiveIntegerField(default=1, editable=False)  # optimistic concurrency
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["holder_code", "type", "status"], name="licence_holder_type_status")]
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")

    def __str__(self) -> str:
        return f"{self.type.name} · {self.holder_name}"

    @property
    def holder_code_type(self) -> str:
        return HOLDER_CODE_TYPES[HolderKind(self.holder_kind)]

    def is_usable(self, on: dt.date | None = None) -> bool:
        """Valid status and within the validity period on ``on`` (default today)."""
        day = on or timezone.localdate()
        return (
            self.status == LicenceStatus.VALID
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )


class SigningKey(models.Model):
    """The public half of a QR signing key. Private keys live in files or the environment, never here."""

    kid = models.CharField(_("密钥编号"), max_length=8, unique=True)
    public_key = models.CharField(_("公钥（base64url）"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    retired_at = models.DateTimeField(
        _("停止签名时间"), null=True, blank=True, help_text=_("停止签名后仍可核验已出示的二维码，直至其过期")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("二维码签名密钥")
        verbose_name_plural = _("二维码签名密钥")

    def __str__(self) -> str:
        return self.kid


class UsedToken(models.Model):
    """Replay store: a token's nonce, kept until the token expires (then purged)."""

    jti = models.CharField(max_length=32, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("已使用二维码")
        verbose_name_plural = _("已使用二维码")

    def __str__(self) -> str:
        return self.jti


class Authorisation(models.Model):
    """授权用证: the holder lets another person show the licence for a purpose and a period."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="authorisations")
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="licence_authorisations"
    )
    purpose = models.CharField(_("授权事由"), max_length=200)
    valid_from = models.DateTimeField(_("授权开始"), default=timezone.now)
    valid_until = models.DateTimeField(_("授权截止"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("授权人")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("证照授权")
        verbose_name_plural = _("证照授权")

    def __str__(self) -> str:
        return f"{self.licence} → {self.grantee}"

    def is_active(self, at: dt.datetime | None = None) -> bool:
        now = at or timezone.now()
        return self.revoked_at is None and self.valid_from <= now <= self.valid_until


class LicenceUse(models.Model):
    """用证记录: who verified which licence, where, for what (事由), when."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="uses")
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("核验人")
    )
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("用证单位")
    )
    place = models.CharField(_("用证地点"), max_length=100, blank=True)
    purpose = models.CharField(_("用证事由"), max_length=200)
    item_code = models.CharField(_("事项编码"), max_length=40, blank=True)
    application_ref = models.CharField(_("办件编号"), max_length=40, blank=True, db_index=True)
    via = models.CharField(_("核验方式"), max_length=8, choices=UseVia.choices, default=UseVia.SCAN)
    authorisation = models.ForeignKey(
        Authorisation, null=True, blank=True, on_delete=models.PROTECT, related_name="uses", verbose_name=_("授权")
    )
    shown_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("亮证人")
    )
    token_jti = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(_("用证时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("用证记录")
        verbose_name_plural = _("用证记录")

    def __str__(self) -> str:
        return f"{self.licence} · {self.purpose}"

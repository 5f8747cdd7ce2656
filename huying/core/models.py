from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """One day whose working status differs from what chinesecalendar knows.

    Next year's State Council holiday notice is entered here before the package covers it,
    and local closures (a typhoon day) too. An override always wins.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}"


class CalendarYear(models.Model):
    """A year whose official holiday notice has been fully entered as overrides."""

    year = models.PositiveIntegerField(_("年度"), unique=True)
    notice = models.CharField(_("依据文件"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("已录入节假日安排的年度")
        verbose_name_plural = _("已录入节假日安排的年度")

    def __str__(self) -> str:
        return str(self.year)


class AuditLog(models.Model):
    """Append-only record of configuration changes and sensitive actions."""

    class Kind(models.TextChoices):
        CONFIG_CHANGE = "config_change", _("配置变更")
        PERSONAL_DATA_VIEW = "personal_data_view", _("查看个人信息明文")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGIN_LOCKED = "login_locked", _("登录锁定")
        LOGIN_AFTER_LOCK = "login_after_lock", _("锁定后登录成功")
        LOGIN_UNLOCKED = "login_unlocked", _("解除登录锁定")
        TOKEN_REVOKED = "token_revoked", _("吊销接口令牌")

    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    summary = models.CharField(_("摘要"), max_length=300)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.summary}"

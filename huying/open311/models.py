"""Open311 clients: other cities' and third parties' apps, each with its own API key."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Client(models.Model):
    """One connected application. The key is shown once when made; only its SHA-256 is kept.

    ``user`` is the client's own account (no role): appeals it submits are recorded as created by it,
    and its idempotency keys are its own.
    """

    name = models.CharField(_("接入方"), max_length=100, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(_("密钥前缀"), max_length=8)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="open311_client")
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 接入方")
        verbose_name_plural = _("Open311 接入方")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

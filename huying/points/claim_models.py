"""A claim (积分申报) handed over by another loop, reviewed before any credit, and its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .ledger_models import Posting
from .models import Household, Scheme, SchemeItem
from .states import ClaimStatus


class Claim(models.Model):
    number = models.CharField(_("申报编号"), max_length=20, unique=True)
    source = models.CharField(_("来源"), max_length=30)
    ref = models.CharField(_("来源编号"), max_length=60)
    item_code = models.CharField(_("事项代码"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="point_claims")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    item = models.ForeignKey(SchemeItem, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    quantity = models.DecimalField(_("数量"), max_digits=8, decimal_places=2, default=1)
    requested = models.IntegerField(_("申报分值"), default=0)
    points = models.IntegerField(_("认定分值"), default=0)
    occurred_at = models.DateTimeField(_("发生时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    category = models.CharField(_("类别"), max_length=60, blank=True)
    evidence = models.CharField(_("佐证"), max_length=300, blank=True)
    dedup_key = models.CharField(max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.DECLARED)
    reason = models.CharField(_("说明"), max_length=500, blank=True)  # shown to the person
    publicity_ends_at = models.DateTimeField(_("公示截止"), null=True, blank=True)
    posting = models.ForeignKey(Posting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("申报时间"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "publicity_ends_at"], name="points_claim_status"),
            models.Index(fields=["user", "item_code", "occurred_at"], name="points_claim_caps"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source", "ref", "item_code"], name="points_claim_once"),
            # Dedup as a constraint too: one live claim per person, item and dedup key.
            models.UniqueConstraint(
                fields=["user", "item_code", "dedup_key"],
                condition=~Q(dedup_key="") & ~Q(status__in=["rejected", "reversed"]),
                name="points_claim_dedup",
            ),
        ]
        verbose_name = _("积分申报")
        verbose_name_plural = _("积分申报")

    def __str__(self) -> str:
        return self.number


class ClaimEvent(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.action}"

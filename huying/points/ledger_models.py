"""The points ledger: accounts with a running balance, append-only postings of balanced entries,
credit lots (for oldest-first spending and expiry), redemptions, the appraisal score kept apart,
publications and the daily trial balance.

A balance is the sum of the account's entries; the ``balance`` column is that sum kept up to date in
the same transaction as the entries (the trial balance checks it). A spendable account's balance can
never go below zero: the posting's UPDATE is conditional (``WHERE balance >= amount``) and a CHECK
constraint refuses any write that would make it negative.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .models import ExchangeDay, Household, Merchant, Scheme


class AppendOnly(models.Model):
    """Rows that are written once: saving an existing row or deleting one is refused."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("ledger rows are append-only: post a reversal instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ledger rows are append-only: post a reversal instead")


class Account(models.Model):
    class Kind(models.TextChoices):
        WALLET = "wallet", _("个人积分账户")
        HOUSEHOLD = "household", _("家庭积分账户")
        MERCHANT = "merchant", _("商户应付积分")
        BUDGET = "budget", _("方案发放")
        EXPIRED = "expired", _("过期积分")
        SETTLED = "settled", _("已结算")

    kind = models.CharField(_("账户类型"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    merchant = models.ForeignKey(Merchant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    spendable = models.BooleanField(default=False, editable=False)
    balance = models.BigIntegerField(_("余额"), default=0, editable=False)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(spendable=False) | Q(balance__gte=0), name="points_spendable_not_negative"
            ),
            models.UniqueConstraint(fields=["user"], condition=Q(kind="wallet"), name="points_one_wallet_per_person"),
            models.UniqueConstraint(
                fields=["household"], condition=Q(kind="household"), name="points_one_household_acct"
            ),
            models.UniqueConstraint(fields=["merchant"], condition=Q(kind="merchant"), name="points_one_merchant_acct"),
            models.UniqueConstraint(
                fields=["kind", "scheme"], condition=Q(scheme__isnull=False), name="points_scheme_acct"
            ),
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="settled"), name="points_one_settled_acct"),
        ]
        verbose_name = _("积分账户")
        verbose_name_plural = _("积分账户")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Posting(AppendOnly):
    class Kind(models.TextChoices):
        EARN = "earn", _("积分入账")
        REDEEM = "redeem", _("兑换")
        EXPIRE = "expire", _("到期")
        REVERSE = "reverse", _("冲正")
        SETTLE = "settle", _("商户结算")

    key = models.CharField(_("幂等键"), max_length=120, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("事由"), max_length=200)
    created_at = models.DateTimeField(_("记账时间"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # A correction is a reversing posting; a posting is reversed at most once.
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by", verbose_name=_("冲正对象")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("记账凭证")
        verbose_name_plural = _("记账凭证")

    def __str__(self) -> str:
        return self.key


class Entry(AppendOnly):
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField(_("分值"))  # + into the account, − out of it

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="points_entry_not_zero"),
            models.UniqueConstraint(fields=["posting", "account"], name="points_entry_one_per_account"),
        ]
        verbose_name = _("记账分录")
        verbose_name_plural = _("记账分录")

    def __str__(self) -> str:
        return f"{self.posting_id} {self.account_id} {self.amount:+d}"


class CreditLot(models.Model):
    """Points credited to a spendable account in one posting: spent and expired oldest first."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lots")
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveBigIntegerField()
    remaining = models.BigIntegerField()
    earned_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    notified_on = models.DateField(null=True, blank=True)  # the holder was told of the expiry

    class Meta:
        ordering = ["earned_on", "id"]
        indexes = [models.Index(fields=["account", "remaining"], name="points_lot_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=F("amount")), name="points_lot_within_amount"
            )
        ]

    def __str__(self) -> str:
        return f"lot {self.pk} {self.remaining}/{self.amount}"


class LotUse(AppendOnly):
    """Which lot a debit consumed (so a refund restores the same scheme and expiry)."""

    lot = models.ForeignKey(CreditLot, on_delete=models.PROTECT, related_name="uses")
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="lot_uses")
    amount = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return f"{self.lot_id} -{self.amount}"


class AppraisalEntry(AppendOnly):
    """评比分: a score that may go down (扣分) and starts again each year; never spendable."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    points = models.IntegerField(_("分值"))
    key = models.CharField(max_length=120, unique=True)
    reason = models.CharField(_("事由"), max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "year"], name="points_appraisal_user_year")]
        verbose_name = _("评比分记录")
        verbose_name_plural = _("评比分记录")

    def __str__(self) -> str:
        return f"{self.user_id} {self.year} {self.points:+d}"


class Redemption(models.Model):
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="redemptions")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveBigIntegerField(_("积分"))
    value_yuan = models.DecimalField(_("抵值（元）"), max_digits=12, decimal_places=2)
    lines = models.JSONField(_("兑换物品"), default=list, blank=True)
    exchange_day = models.ForeignKey(ExchangeDay, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    nonce = models.CharField(max_length=32, unique=True)  # the QR token's: a code is used once
    request_key = models.CharField(max_length=64, null=True, blank=True, unique=True)  # the merchant phone's retry key
    posting = models.OneToOneField(Posting, on_delete=models.PROTECT, related_name="redemption")
    refund = models.OneToOneField(Posting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("积分兑换")
        verbose_name_plural = _("积分兑换")

    def __str__(self) -> str:
        return f"{self.merchant_id} {self.points}"


class Publication(models.Model):
    """张榜: a scheme's totals by household (or person) for a month, names masked as the scheme chooses."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="publications")
    month = models.DateField(_("月份"))  # the first day of the month published
    rows = models.JSONField(default=list)  # [{"name": masked, "earned": n, "redeemed": n}]
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-month", "scheme"]
        constraints = [models.UniqueConstraint(fields=["scheme", "month"], name="points_one_publication_a_month")]
        verbose_name = _("积分张榜")
        verbose_name_plural = _("积分张榜")

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.month:%Y-%m}"


class TrialBalance(models.Model):
    """One run of the daily trial balance. Drift is reported, never corrected."""

    ran_at = models.DateTimeField()
    postings = models.PositiveIntegerField()
    total = models.BigIntegerField()  # sum of every entry: 0
    unbalanced = models.PositiveIntegerField()  # postings whose entries do not sum to 0
    drifted = models.PositiveIntegerField()  # accounts whose balance is not the sum of their entries
    negative = models.PositiveIntegerField()  # spendable accounts below zero
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("试算平衡")
        verbose_name_plural = _("试算平衡")

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {self.total}"

    @property
    def ok(self) -> bool:
        return self.total == 0 and not (self.unbalanced or self.drifted or self.negative)

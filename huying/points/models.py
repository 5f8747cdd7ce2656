"""Schemes and their items (rules as data, each with the resolution that approved it), households,
merchants with their goods, and exchange days. The ledger is in ``ledger_models``; claims in
``claim_models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

# Named (实名) points never expire silently: none, or at least three years (单用途预付卡 analogy).
MIN_EXPIRY_MONTHS = 36


class Scheme(models.Model):
    class Kind(models.TextChoices):
        REPORTS = "reports", _("群众参与社会治理积分")
        VOLUNTEER = "volunteer", _("志愿服务积分")
        LEGISLATIVE = "legislative", _("立法志愿者积分")
        APPRAISAL = "appraisal", _("党员积分制考核")

    class Masking(models.TextChoices):
        SURNAME = "surname", _("只显示姓氏")
        HOUSEHOLD = "household", _("只显示户号")
        FULL = "full", _("显示户主姓名")

    code = models.SlugField(_("方案代码"), max_length=40, unique=True)
    name = models.CharField(_("方案名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("主办单位"))
    counts_households = models.BooleanField(_("按户计分"), default=False)
    expiry_months = models.PositiveSmallIntegerField(_("有效期（月）"), null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField(_("公示天数"), default=3)
    masking = models.CharField(_("张榜显示"), max_length=10, choices=Masking.choices, default=Masking.SURNAME)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_months__isnull=True) | Q(expiry_months__gte=MIN_EXPIRY_MONTHS),
                name="points_scheme_expiry_at_least_3y",
            )
        ]
        verbose_name = _("积分方案")
        verbose_name_plural = _("积分方案")

    def __str__(self) -> str:
        return self.name


class Resolution(models.Model):
    """The democratic decision (村民代表会议、居民会议、党员大会…) that approved a scheme's items."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="resolutions")
    body = models.CharField(_("决议机构"), max_length=100)
    number = models.CharField(_("决议文号"), max_length=60)
    adopted_on = models.DateField(_("通过日期"))
    summary = models.TextField(_("决议内容"), blank=True)

    class Meta:
        ordering = ["-adopted_on", "-id"]
        verbose_name = _("积分决议")
        verbose_name_plural = _("积分决议")

    def __str__(self) -> str:
        return f"{self.body} {self.number}"


class SchemeItem(models.Model):
    """One version of a 积分事项; a change is a new version from a date not before today."""

    class Wallet(models.TextChoices):
        SPENDABLE = "spendable", _("可兑换积分")
        APPRAISAL = "appraisal", _("评比分")

    class Dedup(models.TextChoices):
        NONE = "none", _("不去重")
        PLACE_CATEGORY_DAY = "place_category_day", _("同一地点同一类别同一天计一次")
        DAY = "day", _("同一天计一次")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="items")
    code = models.SlugField(_("事项代码"), max_length=40)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("事项名称"), max_length=100)
    wallet = models.CharField(_("计入"), max_length=10, choices=Wallet.choices, default=Wallet.SPENDABLE)
    points = models.IntegerField(_("分值（每单位）"))
    unit_label = models.CharField(_("计量单位"), max_length=10, default="次")
    evidence_required = models.BooleanField(_("须附佐证"), default=False)
    per_event_cap = models.PositiveIntegerField(_("单次上限"), null=True, blank=True)
    daily_cap = models.PositiveIntegerField(_("每日上限"), null=True, blank=True)
    monthly_cap = models.PositiveIntegerField(_("每月上限"), null=True, blank=True)
    dedup = models.CharField(_("去重规则"), max_length=20, choices=Dedup.choices, default=Dedup.NONE)
    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="items")
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        ordering = ["scheme", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code", "version"], name="points_item_version_unique"),
            # Deductions (扣分) go to the appraisal score only: a spendable wallet is never docked.
            models.CheckConstraint(
                condition=Q(wallet="appraisal") | Q(points__gt=0), name="points_item_spendable_positive"
            ),
        ]
        verbose_name = _("积分事项")
        verbose_name_plural = _("积分事项")

    def __str__(self) -> str:
        return f"{self.name}（v{self.version}）"


class Household(models.Model):
    number = models.CharField(_("户号"), max_length=30, unique=True)
    head_name = models.CharField(_("户主"), max_length=60)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属社区"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("积分家庭")
        verbose_name_plural = _("积分家庭")

    def __str__(self) -> str:
        return self.number


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_household")

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")

    def __str__(self) -> str:
        return f"{self.household_id}:{self.user_id}"


class Merchant(models.Model):
    """A partner shop (银座, 东方冷库) or a street's 积分超市: it is reimbursed by the sponsor, never
    sells points, and settles monthly from its payable account."""

    name = models.CharField(_("商户名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在街道"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    yuan_per_point = models.DecimalField(_("每积分抵值（元）"), max_digits=6, decimal_places=2, default=1)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(yuan_per_point__gt=0), name="points_merchant_rate_positive")]
        verbose_name = _("积分合作商户")
        verbose_name_plural = _("积分合作商户")

    def __str__(self) -> str:
        return self.name


class MerchantStaff(models.Model):
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="staff")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_merchant")

    class Meta:
        verbose_name = _("商户收银人员")
        verbose_name_plural = _("商户收银人员")

    def __str__(self) -> str:
        return f"{self.merchant_id}:{self.user_id}"


class Goods(models.Model):
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="goods")
    name = models.CharField(_("物品"), max_length=60)
    points = models.PositiveIntegerField(_("所需积分"))
    is_active = models.BooleanField(_("上架"), default=True)

    class Meta:
        ordering = ["merchant", "points", "name"]
        constraints = [models.CheckConstraint(condition=Q(points__gt=0), name="points_goods_positive")]
        verbose_name = _("兑换物品")
        verbose_name_plural = _("兑换物品")

    def __str__(self) -> str:
        return self.name


class ExchangeDay(models.Model):
    """积分兑换活动: a street's day with a stock of goods, run at its 积分超市 (a merchant)."""

    title = models.CharField(_("活动名称"), max_length=100)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("主办街道"))
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="exchange_days")
    day = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=200)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("积分兑换活动")
        verbose_name_plural = _("积分兑换活动")

    def __str__(self) -> str:
        return self.title


class ExchangeStock(models.Model):
    exchange_day = models.ForeignKey(ExchangeDay, on_delete=models.PROTECT, related_name="stock")
    name = models.CharField(_("物品"), max_length=60)
    points = models.PositiveIntegerField(_("所需积分"))
    quantity = models.PositiveIntegerField(_("备货数量"))
    remaining = models.IntegerField(_("剩余数量"))

    class Meta:
        ordering = ["exchange_day", "points", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(remaining__gte=0), name="points_stock_never_oversold"),
            models.CheckConstraint(condition=Q(points__gt=0), name="points_stock_points_positive"),
        ]
        verbose_name = _("活动物品")
        verbose_name_plural = _("活动物品")

    def __str__(self) -> str:
        return self.name


from .claim_models import Claim, ClaimEvent  # noqa: E402  (registered with the app's models)
from .ledger_models import (  # noqa: E402
    Account,
    AppraisalEntry,
    CreditLot,
    Entry,
    LotUse,
    Posting,
    Publication,
    Redemption,
    TrialBalance,
)

__all__ = [
    "Account",
    "AppraisalEntry",
    "Claim",
    "ClaimEvent",
    "CreditLot",
    "Entry",
    "ExchangeDay",
    "ExchangeStock",
    "Goods",
    "Household",
    "HouseholdMember",
    "LotUse",
    "Merchant",
    "MerchantStaff",
    "Posting",
    "Publication",
    "Redemption",
    "Resolution",
    "Scheme",
    "SchemeItem",
    "TrialBalance",
]

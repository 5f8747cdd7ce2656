"""Elderly canteens and meal points, the older people enrolled with their dated categories, price
tiers as dated data, meals, monthly settlements and food-safety purchase records."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from .states import (
    CanteenKind,
    CareLevel,
    Category,
    ElderStatus,
    Method,
    Mode,
    SettlementStatus,
    Slot,
    Source,
)

USER = settings.AUTH_USER_MODEL


def money(label: str | Any, **extra: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """An amount in yuan, to the fen."""
    return models.DecimalField(label, max_digits=10, decimal_places=2, **extra)


class Canteen(models.Model):
    code = models.CharField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=CanteenKind.choices, default=CanteenKind.CANTEEN)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在街道（社区）"))
    operator = models.CharField(_("运营方"), max_length=100)
    licence_number = models.CharField(_("食品经营许可证编号"), max_length=20)
    capacity = models.PositiveSmallIntegerField(_("座位数"), default=0)
    hours = models.CharField(_("供餐时间"), max_length=100, blank=True)
    slots = models.CharField(
        _("供应餐次"), max_length=40, default="lunch", help_text=_("以逗号分隔：breakfast,lunch,dinner")
    )
    daily_limit = models.PositiveSmallIntegerField(_("每人每日限餐次数"), default=2)
    address = models.CharField(_("地址"), max_length=200)
    longitude = models.FloatField(_("经度"))
    latitude = models.FloatField(_("纬度"))
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    video_url = models.URLField(_("明厨亮灶视频地址"), blank=True)
    annual_subsidy = money(_("年度运营补贴（元）"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = _("助老食堂")
        verbose_name_plural = _("助老食堂")

    def __str__(self) -> str:
        return self.name

    @property
    def slot_list(self) -> list[str]:
        return [s for s in self.slots.split(",") if s in Slot.values]


class WeeklyMenu(models.Model):
    canteen = models.ForeignKey(Canteen, on_delete=models.CASCADE, related_name="menus")
    week_start = models.DateField(_("周一日期"))
    text = models.TextField(_("菜单"))
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["canteen", "week_start"], name="weeklymenu_unique")]

    def __str__(self) -> str:
        return f"{self.canteen_id} {self.week_start}"


class Elder(models.Model):
    name = models.CharField(_("姓名"), max_length=60)
    id_number = models.CharField(_("身份证号码"), max_length=18, unique=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    canteen = models.ForeignKey(Canteen, on_delete=models.PROTECT, related_name="elders", verbose_name=_("登记助餐点"))
    card_number = models.CharField(_("助餐卡号"), max_length=20, unique=True)
    meal_code = models.CharField(_("助餐码"), max_length=8, unique=True)
    delivery_needed = models.BooleanField(_("需送餐上门"), default=False)
    dietary_notes = models.CharField(_("饮食禁忌"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ElderStatus.choices, default=ElderStatus.APPLIED)
    enrolled_on = models.DateField(_("登记日期"), default=timezone.localdate)
    active_from = models.DateField(_("资格生效日期"), null=True, blank=True)
    inactive_from = models.DateField(_("资格停止日期"), null=True, blank=True)
    recheck_due = models.DateField(_("下次复核日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["canteen", "name", "pk"]
        verbose_name = _("助餐老人")
        verbose_name_plural = _("助餐老人")

    def __str__(self) -> str:
        return self.name


class ElderCategory(models.Model):
    """One category of an elder with its source and date; ended (valid_to) when a re-check finds it gone."""

    elder = models.ForeignKey(Elder, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    care_level = models.CharField(_("失能等级"), max_length=10, choices=CareLevel.choices, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    source_date = models.DateField(_("认定日期"))
    proof = models.CharField(_("证明或数据批次"), max_length=200, blank=True)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    checked_on = models.DateField(_("最近复核日期"), null=True, blank=True)

    class Meta:
        ordering = ["elder", "category", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.elder_id} {self.category}"


class PriceTier(models.Model):
    """The price a person pays per meal, by category, from a date (a rule's version); "" is everyone else."""

    rule = models.CharField(_("政策依据"), max_length=100)
    category = models.CharField(_("适用类别"), max_length=20, choices=Category.choices, blank=True)
    list_price = money(_("餐标（元）"))
    self_pay = money(_("个人支付（元）"))
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        ordering = ["valid_from", "category"]
        constraints = [models.UniqueConstraint(fields=["category", "valid_from"], name="pricetier_unique")]

    def __str__(self) -> str:
        return f"{self.rule} {self.category or '*'} {self.self_pay}"


class Meal(models.Model):
    elder = models.ForeignKey(Elder, on_delete=models.PROTECT, related_name="meals")
    canteen = models.ForeignKey(Canteen, on_delete=models.PROTECT, related_name="meals")
    served_on = models.DateField(_("就餐日期"))
    slot = models.CharField(_("餐次"), max_length=10, choices=Slot.choices)
    method = models.CharField(_("登记方式"), max_length=10, choices=Method.choices)
    mode = models.CharField(_("就餐方式"), max_length=10, choices=Mode.choices)
    tier = models.ForeignKey(PriceTier, on_delete=models.PROTECT, related_name="+")
    list_price = money(_("餐标（元）"))
    self_pay = money(_("个人支付（元）"))
    subsidy = money(_("补贴（元）"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    delivered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    delivery_note = models.CharField(_("送达情况"), max_length=200, blank=True)

    class Meta:
        ordering = ["-served_on", "canteen", "slot", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["elder", "canteen", "served_on", "slot"], name="meal_one_per_slot"),
        ]
        indexes = [models.Index(fields=["canteen", "served_on"], name="meal_canteen_day")]

    def __str__(self) -> str:
        return f"{self.elder_id} {self.served_on} {self.slot}"


class Settlement(models.Model):
    canteen = models.ForeignKey(Canteen, on_delete=models.PROTECT, related_name="settlements")
    month = models.DateField(_("月份"))
    status = models.CharField(
        _("状态"), max_length=10, choices=SettlementStatus.choices, default=SettlementStatus.GENERATED
    )
    meals = models.PositiveIntegerField(_("就餐人次"), default=0)
    deliveries = models.PositiveIntegerField(_("送餐人次"), default=0)
    people = models.PositiveIntegerField(_("就餐人数"), default=0)
    list_total = money(_("餐标合计"), default=0)
    self_pay_total = money(_("个人支付合计"), default=0)
    subsidy_total = money(_("餐费补贴合计"), default=0)
    operating_subsidy = money(_("当月运营补贴"), default=0)
    anomalies = models.JSONField(_("异常"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    generated_at = models.DateTimeField(default=timezone.now)
    generated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_ref = models.CharField(_("拨付凭证"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-month", "canteen"]
        constraints = [models.UniqueConstraint(fields=["canteen", "month"], name="settlement_unique")]

    def __str__(self) -> str:
        return f"{self.canteen_id} {self.month:%Y-%m}"


class PurchaseRecord(models.Model):
    """进货查验记录 (食品安全法 Arts. 50, 53): kept, and undeletable, until ``retain_until``."""

    canteen = models.ForeignKey(Canteen, on_delete=models.PROTECT, related_name="purchases")
    product = models.CharField(_("名称"), max_length=100)
    spec = models.CharField(_("规格"), max_length=60, blank=True)
    quantity = models.CharField(_("数量"), max_length=40)
    batch = models.CharField(_("生产批号"), max_length=60, blank=True)
    production_date = models.DateField(_("生产日期"), null=True, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("保质期（天）"), null=True, blank=True)
    purchased_on = models.DateField(_("进货日期"))
    supplier_name = models.CharField(_("供货者名称"), max_length=100)
    supplier_address = models.CharField(_("供货者地址"), max_length=200)
    supplier_contact = models.CharField(_("供货者联系方式"), max_length=40)
    retain_until = models.DateField(_("保存至"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-purchased_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shelf_life_days__isnull=True) | Q(production_date__isnull=False),
                name="purchase_shelf_life_needs_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.purchased_on}"

"""The service catalogue (政务服务事项实施清单): items, their materials, form fields and review steps, and bundles.

Field names follow the national implementation-list exchange (全国一体化政务服务平台 实施清单 tables). Licence types are
referred to by their GB/T 36904 type code (a 21-character string) so that the catalogue does not
depend on the e-licence app: ``huying.licences`` owns the licence-type table and validates the code.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit

from .pinyin import initials


class ServiceItem(models.Model):
    class ItemType(models.TextChoices):
        LICENSING = "licensing", _("行政许可")
        BENEFIT = "benefit", _("行政给付")
        CONFIRMATION = "confirmation", _("行政确认")
        REWARD = "reward", _("行政奖励")
        RULING = "ruling", _("行政裁决")
        PUBLIC_SERVICE = "public_service", _("公共服务")
        OTHER = "other", _("其他行政权力")

    class Level(models.TextChoices):
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")
        TOWNSHIP = "township", _("乡镇（街道）级")
        VILLAGE = "village", _("村（社区）级")

    class ApplicantKind(models.TextChoices):
        PERSON = "person", _("自然人")
        ENTERPRISE = "enterprise", _("法人")
        BOTH = "both", _("自然人和法人")

    class ReviewMode(models.TextChoices):
        INSTANT = "instant", _("即办件")
        SEQUENTIAL = "sequential", _("承诺件（串联审查）")
        PARALLEL = "parallel", _("承诺件（并联审批）")

    # 实施编码 is an opaque string of up to 36 characters (no published standard fixes its structure).
    code = models.CharField(_("实施编码"), max_length=36, unique=True)
    basic_code = models.CharField(_("基本编码"), max_length=12, blank=True)
    name = models.CharField(_("事项名称"), max_length=200)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="service_items", verbose_name=_("实施主体")
    )
    item_type = models.CharField(_("事项类型"), max_length=20, choices=ItemType.choices)
    level = models.CharField(_("行使层级"), max_length=10, choices=Level.choices)
    applicant_kind = models.CharField(_("服务对象"), max_length=12, choices=ApplicantKind.choices)
    review_mode = models.CharField(_("办件类型"), max_length=12, choices=ReviewMode.choices)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    legal_days = models.PositiveSmallIntegerField(_("法定办结时限（工作日）"))
    promised_days = models.PositiveSmallIntegerField(_("承诺办结时限（工作日）"))
    conditions = models.TextField(_("受理条件"), blank=True)
    process = models.TextField(_("办理流程"), blank=True)
    fee = models.CharField(_("收费标准"), max_length=200, blank=True, help_text=_("空白表示不收费"))
    fee_basis = models.CharField(_("收费依据"), max_length=200, blank=True)
    place = models.CharField(_("办理地点"), max_length=200, blank=True)
    hours = models.CharField(_("办理时间"), max_length=100, blank=True)
    contact_phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    online = models.BooleanField(_("可网上办理"), default=True)
    max_visits = models.PositiveSmallIntegerField(_("到办事现场次数"), default=1)
    proxy_allowed = models.BooleanField(_("可帮办代办"), default=True)
    express_delivery = models.BooleanField(_("支持快递送达结果"), default=True)
    result_name = models.CharField(_("审批结果名称"), max_length=100, blank=True)
    # The e-licence type this item issues on approval (GB/T 36904 type code), blank when none.
    result_licence_type_code = models.CharField(_("结果电子证照类型代码"), max_length=21, blank=True)
    # 拼音首字母 of the name, kept so the guide search answers "kbqy" for 开办企业 without a scan.
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=200, blank=True, db_index=True, editable=False)
    is_active = models.BooleanField(_("在用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_days__lte=models.F("legal_days")),
                name="service_item_promised_not_above_legal",
                violation_error_message=_("承诺办结时限不得超过法定办结时限。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every save keeps the search key in step with the name (admin, import, services alike).
        self.pinyin_initials = initials(self.name, max_length=200)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "pinyin_initials"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.promised_days is not None and self.legal_days is not None and self.promised_days > self.legal_days:
            raise ValidationError({"promised_days": _("承诺办结时限不得超过法定办结时限。")})


class Material(models.Model):
    """A material an item requires (材料目录)."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("原件")
        COPY = "copy", _("复印件")
        ORIGINAL_AND_COPY = "both", _("原件和复印件")
        ELECTRONIC = "electronic", _("电子材料")

    class Source(models.TextChoices):
        APPLICANT = "applicant", _("申请人自备")
        GOVERNMENT = "government", _("政府部门核发")
        FORM = "form", _("申请表（窗口提供）")

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    # Materials with the same key across items are the same document (bundles de-duplicate on it).
    key = models.SlugField(_("材料标识"), max_length=60)
    name = models.CharField(_("材料名称"), max_length=200)
    form = models.CharField(_("材料形式"), max_length=12, choices=Form.choices, default=Form.ORIGINAL)
    source = models.CharField(_("来源渠道"), max_length=12, choices=Source.choices, default=Source.APPLICANT)
    required = models.BooleanField(_("必要"), default=True)
    copies = models.PositiveSmallIntegerField(_("纸质份数"), default=1)
    notes = models.CharField(_("填报须知"), max_length=300, blank=True)
    # An e-licence of this type satisfies the material (免提交), blank when none can.
    licence_type_code = models.CharField(_("可用电子证照类型代码"), max_length=21, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["item", "sort", "id"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        constraints = [models.UniqueConstraint(fields=["item", "key"], name="material_key_unique_per_item")]

    def __str__(self) -> str:
        return self.name


class FormField(models.Model):
    """A field of an item's application form; the same key across items is asked once in a bundle."""

    class Kind(models.TextChoices):
        TEXT = "text", _("文本")
        NUMBER = "number", _("数字")
        DATE = "date", _("日期")
        ID_NUMBER = "id_number", _("身份证号码")
        CREDIT_CODE = "credit_code", _("统一社会信用代码")
        PHONE = "phone", _("手机号码")
        CHOICE = "choice", _("选项")

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="form_fields")
    key = models.SlugField(_("字段标识"), max_length=60)
    label = models.CharField(_("字段名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.TEXT)
    choices = models.CharField(_("可选值（以“|”分隔）"), max_length=300, blank=True)
    required = models.BooleanField(_("必填"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["item", "sort", "id"]
        verbose_name = _("表单字段")
        verbose_name_plural = _("表单字段")
        constraints = [models.UniqueConstraint(fields=["item", "key"], name="form_field_key_unique_per_item")]

    def __str__(self) -> str:
        return self.label


class ReviewStep(models.Model):
    """Back-office review defined as data (后台分类审批): steps of one stage run in parallel (并联审批),
    stages run in order. An item with no steps is decided by its implementing unit in one step."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="review_steps")
    stage = models.PositiveSmallIntegerField(_("阶段"), default=1)
    name = models.CharField(_("环节名称"), max_length=100)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="review_steps", verbose_name=_("审批部门"))
    days = models.PositiveSmallIntegerField(_("环节时限（工作日）"), default=1)

    class Meta:
        ordering = ["item", "stage", "id"]
        verbose_name = _("审批环节")
        verbose_name_plural = _("审批环节")

    def __str__(self) -> str:
        return f"{self.item} · {self.stage} · {self.name}"


class Bundle(models.Model):
    """一件事: several items applied for with one form and one set of materials."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    lead_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="bundles", verbose_name=_("牵头部门"))
    items = models.ManyToManyField["ServiceItem", "BundleItem"](
        ServiceItem, through="BundleItem", related_name="bundles"
    )
    # A bundle may promise less than the sum of its items (e.g. 社会投资简易低风险项目 15 days).
    promised_days = models.PositiveSmallIntegerField(_("承诺办结时限（工作日）"), null=True, blank=True)
    # How the items are reviewed when the bundle sets no promised_days: all at once (the bundle
    # promises the longest item's days) or one after another (the sum). See selectors.bundle_plan.
    review_in_parallel = models.BooleanField(_("各事项并联审批"), default=False)
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=100, blank=True, db_index=True, editable=False)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pinyin_initials = initials(self.name, max_length=100)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "pinyin_initials"}
        super().save(*args, **kwargs)


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="bundle_items")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="bundle_items")
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["bundle", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="bundle_item_unique")]

    def __str__(self) -> str:
        return f"{self.bundle} · {self.item}"

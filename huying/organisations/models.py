from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Division(models.Model):
    """An administrative division with its GB/T 2260 code, valid over a period.

    Codes change (邹平县 371626 became 邹平市 371681 in 2018) and old ID numbers keep the old
    code, so a code is a dated row, never edited in place.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        COUNTY = "county", _("县/区")
        TOWNSHIP = "township", _("乡镇/街道")
        VILLAGE = "village", _("村/社区")

    code = models.CharField(_("区划代码"), max_length=12)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    valid_from = models.DateField(_("启用日期"), null=True, blank=True)
    valid_to = models.DateField(_("停用日期"), null=True, blank=True)
    is_statistical = models.BooleanField(
        _("统计用代码"), default=False, help_text=_("国家统计局统计用区划代码（如开发区），非 GB/T 2260 代码")
    )

    class Meta:
        ordering = ["code", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="division_code_valid_from_unique")]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class OrgUnit(models.Model):
    """A unit in the organisation tree: hotline centre, department, street/town, community/village."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        HOTLINE_CENTRE = "hotline_centre", _("热线中心")
        DEPARTMENT = "department", _("职能部门")
        TOWNSHIP = "township", _("乡镇/街道")
        COMMUNITY = "community", _("村/社区")
        ENTERPRISE = "enterprise", _("公共服务企业")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.PROTECT, related_name="units")
    # Materialised path ("/1/4/17/") so a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

"""The register of service points (服务点), the items each accepts, guides or files under proxy, and
village proxy cases (全程代办) with their tracking codes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huying.applications.models import Application
from huying.catalogue.models import ServiceItem
from huying.organisations.models import OrgUnit

from .states import KIND_LEVEL, CaseStatus, Handover, IdentityCheck, Kind, Level

USER = settings.AUTH_USER_MODEL


class ServicePoint(models.Model):
    """A place that serves people, with where it is (WGS-84), when it is open and what it handles."""

    code = models.CharField(_("服务点编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, db_index=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("主管单位")
    )
    address = models.CharField(_("地址"), max_length=200)
    longitude = models.FloatField(_("经度"))
    latitude = models.FloatField(_("纬度"))
    hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    windows = models.PositiveSmallIntegerField(_("窗口（服务台）数"), default=0)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    photo = models.ImageField(_("照片"), upload_to="servicepoints/%Y/", blank=True)
    # Points another loop keeps (a canteen, a liaison station): that loop's name and its record's key.
    source = models.CharField(_("来源"), max_length=30, blank=True)
    source_ref = models.CharField(_("来源记录"), max_length=60, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["code"]
        verbose_name = _("服务点")
        verbose_name_plural = _("服务点")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"], condition=~Q(source=""), name="servicepoint_source_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.level = KIND_LEVEL.get(Kind(self.kind), Level.VILLAGE) if self.kind in Kind.values else self.level
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PointItem(models.Model):
    """One catalogue item at one point: accepted there, guided (网办指导), or filed under proxy (代办)."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="+")
    accepts = models.BooleanField(_("受理"), default=False)
    guides = models.BooleanField(_("指导"), default=False)
    proxies = models.BooleanField(_("代办"), default=False)

    class Meta:
        ordering = ["point", "item__code"]
        verbose_name = _("服务点事项")
        verbose_name_plural = _("服务点事项")
        constraints = [models.UniqueConstraint(fields=["point", "item"], name="pointitem_unique")]

    def __str__(self) -> str:
        return f"{self.point_id}:{self.item_id}"


class CentreClerk(models.Model):
    """A village clerk (代办员) posted at a centre: they file its proxy items and hand results back."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="clerks")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    since = models.DateField(_("任职日期"), default=timezone.localdate)

    class Meta:
        verbose_name = _("服务站代办员")
        verbose_name_plural = _("服务站代办员")
        constraints = [models.UniqueConstraint(fields=["point", "user"], name="centreclerk_unique")]

    def __str__(self) -> str:
        return f"{self.point_id}:{self.user_id}"


class ProxyCase(models.Model):
    """全程代办: an application filed at a village centre for a resident and carried to the window."""

    number = models.CharField(_("代办编号"), max_length=24, unique=True, null=True, blank=True)
    point = models.ForeignKey(ServicePoint, on_delete=models.PROTECT, related_name="cases", verbose_name=_("服务站"))
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="village_case", verbose_name=_("办件")
    )
    hall = models.ForeignKey(
        ServicePoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("原需前往的大厅"),
    )
    resident_name = models.CharField(_("居民"), max_length=60)
    resident_phone = models.CharField(_("联系电话"), max_length=20)
    home = models.CharField(_("居住地"), max_length=100, blank=True)
    home_longitude = models.FloatField(null=True, blank=True)
    home_latitude = models.FloatField(null=True, blank=True)
    identity_check = models.CharField(_("身份核验方式"), max_length=12, choices=IdentityCheck.choices)
    trips_saved = models.PositiveSmallIntegerField(_("少跑趟数"), default=1)
    km_saved = models.FloatField(_("少跑里程（公里）"), default=0)
    status = models.CharField(_("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.FILED)
    handover = models.CharField(_("交付方式"), max_length=10, choices=Handover.choices, blank=True)
    handover_note = models.CharField(_("交付说明"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    returned_at = models.DateTimeField(_("送回时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("交付时间"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("村级代办")
        verbose_name_plural = _("村级代办")

    def __str__(self) -> str:
        return f"{self.number} {self.resident_name}"


class CaseEvent(models.Model):
    case = models.ForeignKey(ProxyCase, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    to_status = models.CharField(max_length=12)
    note = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class CaseTrackingCode(models.Model):
    """A one-time code texted to the resident so they can follow their proxy case from the phone."""

    case = models.ForeignKey(ProxyCase, on_delete=models.CASCADE, related_name="tracking_codes")
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.case_id} until {self.expires_at:%H:%M}"

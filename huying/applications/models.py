"""办件: an application for a catalogue item or a 一件事 bundle, from 收件 to 出件.

Field names follow the national 办件 exchange records (the 全国一体化政务服务平台 办件 tables: 受理, 过程, 结果, 特别程序, 材料).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huying.catalogue.models import Bundle, ServiceItem
from huying.organisations.models import OrgUnit

from .states import (
    CLOCK_STATUSES,
    ApplicantKind,
    AssistKind,
    Channel,
    IssueMethod,
    MaterialStatus,
    SpecialKind,
    Status,
    TaskStatus,
)

USER = settings.AUTH_USER_MODEL


class Project(models.Model):
    """An investment project (项目管家): its butler (帮办代办员) follows all its applications."""

    name = models.CharField(_("项目名称"), max_length=200)
    code = models.CharField(_("项目代码"), max_length=40, unique=True)
    enterprise_name = models.CharField(_("建设单位"), max_length=200)
    enterprise_credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    butler = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("项目管家")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("投资项目")
        verbose_name_plural = _("投资项目")

    def __str__(self) -> str:
        return self.name


class ProxyAuthorisation(models.Model):
    """授权委托: recorded before an agent files on a principal's behalf."""

    principal_kind = models.CharField(_("委托人类型"), max_length=12, choices=ApplicantKind.choices)
    principal_name = models.CharField(_("委托人"), max_length=100)
    principal_code = models.CharField(_("委托人证件号码"), max_length=18)
    principal_phone = models.CharField(_("委托人电话"), max_length=20, blank=True)
    agent = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("受托人"))
    scope = models.CharField(_("委托事项"), max_length=300)
    valid_until = models.DateField(_("有效期至"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("授权委托")
        verbose_name_plural = _("授权委托")

    def __str__(self) -> str:
        return f"{self.principal_name} → {self.agent}"

    def is_active(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.revoked_at is None and day <= self.valid_until


class Application(models.Model):
    number = models.CharField(_("办件编号"), max_length=24, unique=True, null=True, blank=True)
    item = models.ForeignKey(
        ServiceItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("事项"),
    )
    bundle = models.ForeignKey(
        Bundle, null=True, blank=True, on_delete=models.PROTECT, related_name="applications", verbose_name=_("一件事")
    )
    title = models.CharField(_("事项名称"), max_length=200)
    # The responsible unit: the item's implementing unit or the bundle's lead unit.
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("受理部门"))
    applicant_kind = models.CharField(_("申请人类型"), max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=100)
    applicant_code = models.CharField(_("证件号码"), max_length=18, db_index=True)
    applicant_phone = models.CharField(_("联系电话"), max_length=20)
    applicant_user = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("申请人账号"),
    )
    agent = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("代办人")
    )
    proxy = models.ForeignKey(
        ProxyAuthorisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("授权委托"),
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications", verbose_name=_("项目")
    )
    channel = models.CharField(_("申请渠道"), max_length=10, choices=Channel.choices)
    ticket_number = models.CharField(_("排队号"), max_length=16, blank=True)
    form_data = models.JSONField(_("申请表"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    version = models.PositiveIntegerField(default=1)
    received_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(_("收件时间"))
    # Binzhou Art. 10: a 补正 notice within 2 working days of receipt, else deemed accepted.
    notice_due_at = models.DateTimeField(_("补正告知期限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    promised_days = models.PositiveSmallIntegerField(_("承诺办结时限（工作日）"), default=0)
    due_at = models.DateTimeField(_("承诺办结时间"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(_("计时暂停于"), null=True, blank=True)
    paused_workdays = models.PositiveSmallIntegerField(_("不计时工作日"), default=0)
    promise_until = models.DateField(_("容缺补齐期限"), null=True, blank=True)
    # Art. 42: once, approved by the agency head, the reason told to the applicant.
    extension_days = models.PositiveSmallIntegerField(_("延长办理期限（工作日）"), default=0)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    extension_approved_by = models.CharField(_("批准延长的负责人"), max_length=50, blank=True)
    is_overdue = models.BooleanField(_("超期"), default=False, db_index=True)
    decision = models.CharField(_("审批结果"), max_length=10, blank=True)
    opinion = models.TextField(_("决定意见"), blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    is_on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    workdays_used = models.PositiveSmallIntegerField(_("实际用时（工作日）"), null=True, blank=True)
    issue_method = models.CharField(_("出件方式"), max_length=10, choices=IssueMethod.choices, blank=True)
    tracking_number = models.CharField(_("快递单号"), max_length=40, blank=True)
    postal_address = models.CharField(_("送达地址"), max_length=200, blank=True)
    issue_due_at = models.DateTimeField(_("出件期限"), null=True, blank=True)
    issued_at = models.DateTimeField(_("出件时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结归档时间"), null=True, blank=True)
    result_licences = models.JSONField(_("结果电子证照"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        constraints = [
            models.CheckConstraint(
                condition=(Q(item__isnull=False, bundle__isnull=True) | Q(item__isnull=True, bundle__isnull=False)),
                name="application_item_xor_bundle",
                violation_error_message=_("办件须对应一个事项或一件事，且只能对应其一。"),
            ),
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="application_status_received")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def clock_running(self) -> bool:
        return self.status in CLOCK_STATUSES and self.due_at is not None

    def overdue_now(self, now: dt.datetime | None = None) -> bool:
        return self.clock_running and self.due_at is not None and (now or timezone.now()) > self.due_at


class ApplicationMaterial(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    key = models.SlugField(_("材料标识"), max_length=60)
    name = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必要"), default=True)
    licence_type_code = models.CharField(_("可用电子证照类型代码"), max_length=21, blank=True)
    status = models.CharField(
        _("收取情况"), max_length=12, choices=MaterialStatus.choices, default=MaterialStatus.MISSING
    )
    licence_identifier = models.CharField(_("电子证照标识"), max_length=160, blank=True)
    promised_by = models.DateField(_("承诺补齐日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "sort", "id"]
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")
        constraints = [models.UniqueConstraint(fields=["application", "key"], name="application_material_key_unique")]

    def __str__(self) -> str:
        return self.name


class MaterialFile(models.Model):
    """An electronic copy (scan or photo) of one material, uploaded online or at the window."""

    material = models.ForeignKey(ApplicationMaterial, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="applications/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["material", "created_at", "id"]
        verbose_name = _("材料电子件")
        verbose_name_plural = _("材料电子件")

    def __str__(self) -> str:
        return self.original_name


class MaterialView(models.Model):
    """A reviewer opened a material's electronic copy: written when the file is served, once per
    reviewer and material; approval waits until every material with a copy has been opened."""

    material = models.ForeignKey(ApplicationMaterial, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    first_opened_at = models.DateTimeField(_("首次查阅时间"), default=timezone.now)

    class Meta:
        ordering = ["material", "first_opened_at", "id"]
        verbose_name = _("材料查阅记录")
        verbose_name_plural = _("材料查阅记录")
        constraints = [models.UniqueConstraint(fields=["material", "viewer"], name="material_view_once_per_viewer")]

    def __str__(self) -> str:
        return f"{self.material_id} · {self.viewer_id}"


class ReviewTask(models.Model):
    """One back-office review step of an application; same stage = parallel (并联审批)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="tasks")
    item = models.ForeignKey(ServiceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    stage = models.PositiveSmallIntegerField(_("阶段"))
    name = models.CharField(_("环节名称"), max_length=100)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("审批部门"))
    days = models.PositiveSmallIntegerField(_("环节时限（工作日）"), default=1)
    status = models.CharField(_("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.WAITING)
    opened_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("环节期限"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    opinion = models.TextField(_("审查意见"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["application", "stage", "id"]
        verbose_name = _("审批环节")
        verbose_name_plural = _("审批环节")
        indexes = [models.Index(fields=["unit", "status"], name="review_task_unit_status")]

    def __str__(self) -> str:
        return f"{self.application} · {self.name}"


class CorrectionNotice(models.Model):
    """一次性告知书: every missing or wrong material in one notice (Art. 32(4))."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    items = models.JSONField(_("需补正内容"), default=list)  # [{"key", "name", "reason"}]
    note = models.TextField(_("说明"), blank=True)
    notified_at = models.DateTimeField(_("告知时间"))
    notified_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    in_time = models.BooleanField(_("按时告知"), default=True)
    resubmitted_at = models.DateTimeField(_("补正时间"), null=True, blank=True)

    class Meta:
        ordering = ["-notified_at", "-pk"]
        verbose_name = _("补正告知书")
        verbose_name_plural = _("补正告知书")

    def __str__(self) -> str:
        return f"{self.application} · 补正告知"


class SpecialProcedure(models.Model):
    """特别程序 (Art. 45): the time it takes is not counted."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="special_procedures")
    kind = models.CharField(_("种类"), max_length=16, choices=SpecialKind.choices)
    reason = models.TextField(_("启动理由或依据"))
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    result = models.TextField(_("结果"), blank=True)
    workdays = models.PositiveSmallIntegerField(_("不计时工作日"), default=0)
    started_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    ended_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")

    def __str__(self) -> str:
        return f"{self.application} · {self.get_kind_display()}"


class ApplicationEvent(models.Model):
    """Append-only history, shown as the timeline."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("办件记录")
        verbose_name_plural = _("办件记录")

    def __str__(self) -> str:
        return f"{self.application_id} · {self.action}"


class AssistedService(models.Model):
    """适老化帮办代办 log: accompany, home visit, proxy..."""

    kind = models.CharField(_("服务方式"), max_length=12, choices=AssistKind.choices)
    person_name = models.CharField(_("服务对象"), max_length=60)
    person_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("帮办人员"))
    served_on = models.DateField(_("服务日期"))
    note = models.CharField(_("服务内容"), max_length=500, blank=True)
    application = models.ForeignKey(
        Application,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assists",
        verbose_name=_("关联办件"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-served_on", "-pk"]
        verbose_name = _("帮办服务记录")
        verbose_name_plural = _("帮办服务记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person_name}"

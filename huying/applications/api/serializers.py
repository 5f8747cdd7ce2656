"""Serializers of the 办件 API: input shapes are checked here, rules in huying.applications.services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from huying.core.personal_data import MaskedIdNumberField, PurposeSerializer

from ..models import Application, ApplicationMaterial, MaterialFile, ProxyAuthorisation, ReviewTask
from ..states import Channel


class ApplicationReceiveSerializer(serializers.Serializer):
    item = serializers.CharField(required=False, allow_blank=True, max_length=36, help_text=_("事项实施编码"))
    bundle = serializers.CharField(required=False, allow_blank=True, max_length=40, help_text=_("一件事编码"))
    channel = serializers.CharField(
        default=Channel.ONLINE, max_length=10, help_text=_("window（窗口）或 online（网上）")
    )
    applicant_kind = serializers.CharField(max_length=12, help_text=_("person（自然人）或 enterprise（法人）"))
    applicant_name = serializers.CharField(max_length=100)
    applicant_code = serializers.CharField(max_length=30, help_text=_("身份证号码或统一社会信用代码"))
    applicant_phone = serializers.CharField(max_length=30)
    form_data = serializers.DictField(required=False, default=dict, help_text=_("合并表单：字段标识 → 值"))
    materials = serializers.DictField(
        required=False,
        default=dict,
        help_text=_("材料清单（窗口）：材料标识 → provided/missing/promised 或 {status, promised_by}"),
    )
    proxy = serializers.IntegerField(required=False, allow_null=True, help_text=_("授权委托ID（代办）"))
    project = serializers.IntegerField(required=False, allow_null=True, help_text=_("投资项目ID"))
    ticket = serializers.CharField(required=False, allow_blank=True, max_length=16, help_text=_("排队号"))


class ApplicationActionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, help_text=_("查看时的版本号，防止并发修改"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text=_("理由、意见或说明"))
    materials = serializers.DictField(required=False, default=dict)
    reasons = serializers.DictField(
        child=serializers.CharField(max_length=300, allow_blank=True), required=False, default=dict
    )
    kind = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        help_text=_("特别程序种类：hearing、testing、expert_review、publicity、tender、site_survey"),
    )
    result = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text=_("特别程序结果"))
    days = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("延长办理期限的工作日数（单个事项至多10，一件事至多15）")
    )
    approved_by = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text=_("批准延长办理期限的本机关负责人")
    )
    method = serializers.CharField(
        required=False, allow_blank=True, max_length=10, help_text=_("出件方式：window（窗口领取）或 post（邮寄）")
    )
    tracking_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    postal_address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    task = serializers.IntegerField(required=False, allow_null=True, help_text=_("审批环节ID（准予/不予许可）"))


class ApplicationMaterialsSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True)
    materials = serializers.DictField()


class ApplicationDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    opinion = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True)


class ApplicationProxyInSerializer(serializers.Serializer):
    agent = serializers.CharField(
        required=False, allow_blank=True, max_length=150, help_text=_("受托人用户名（窗口登记时）")
    )
    principal_kind = serializers.CharField(max_length=12, help_text=_("person 或 enterprise"))
    principal_name = serializers.CharField(max_length=100)
    principal_code = serializers.CharField(max_length=30)
    principal_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    scope = serializers.CharField(max_length=300)
    valid_until = serializers.DateField()


class ApplicationAssistInSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=12, help_text=_("accompany、home_visit、proxy、guidance、priority、remote"))
    person_name = serializers.CharField(max_length=60)
    person_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    served_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    application = serializers.CharField(required=False, allow_blank=True, max_length=24)


class MaterialFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField(help_text=_("下载地址（查看记入审计日志，申请人本人除外）"))

    class Meta:
        model = MaterialFile
        fields = ["id", "name", "content_type", "size", "created_at", "url"]

    def get_url(self, obj: MaterialFile) -> str:
        return f"/api/v1/applications/{obj.material.application.number}/files/{obj.pk}/"


class MaterialFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("JPG、PNG 或 PDF，按文件内容识别类型"))


class ApplicationMaterialSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text=_("provided、uploaded、e_licence、missing、promised"))
    files = MaterialFileSerializer(many=True, read_only=True)

    class Meta:
        model = ApplicationMaterial
        fields = [
            "key",
            "name",
            "required",
            "status",
            "licence_type_code",
            "licence_identifier",
            "promised_by",
            "note",
            "files",
        ]


class ApplicationTaskSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    application = serializers.CharField(source="application.number")
    status = serializers.CharField(help_text=_("waiting、active、approved、refused、cancelled"))

    class Meta:
        model = ReviewTask
        fields = [
            "id",
            "application",
            "stage",
            "name",
            "unit",
            "status",
            "opened_at",
            "due_at",
            "decided_at",
            "opinion",
            "version",
        ]


class ApplicationListSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    status = serializers.CharField()
    channel = serializers.CharField()

    class Meta:
        model = Application
        fields = [
            "number",
            "title",
            "unit",
            "status",
            "channel",
            "applicant_name",
            "received_at",
            "due_at",
            "is_overdue",
            "version",
        ]


class ApplicationDetailSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    item = serializers.SerializerMethodField()
    bundle = serializers.SerializerMethodField()
    materials = ApplicationMaterialSerializer(many=True, read_only=True)
    tasks = ApplicationTaskSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    status = serializers.CharField()
    channel = serializers.CharField()
    applicant_kind = serializers.CharField()
    issue_method = serializers.CharField()
    applicant_code = serializers.CharField(help_text=_("身份证号码脱敏显示；统一社会信用代码照常显示"))
    applicant_phone = serializers.CharField(help_text=_("脱敏显示（申请人本人可见完整号码）"))
    form_data = serializers.DictField(help_text=_("合并表单；其中的身份证号码和电话脱敏显示"))

    class Meta:
        model = Application
        fields = [
            "number",
            "title",
            "item",
            "bundle",
            "unit",
            "status",
            "version",
            "channel",
            "ticket_number",
            "applicant_kind",
            "applicant_name",
            "applicant_code",
            "applicant_phone",
            "form_data",
            "received_at",
            "notice_due_at",
            "accepted_at",
            "promised_days",
            "due_at",
            "paused_workdays",
            "promise_until",
            "extension_days",
            "extension_reason",
            "extension_approved_by",
            "is_overdue",
            "decision",
            "opinion",
            "decided_at",
            "is_on_time",
            "workdays_used",
            "issue_method",
            "tracking_number",
            "issue_due_at",
            "issued_at",
            "closed_at",
            "result_licences",
            "materials",
            "tasks",
            "allowed_actions",
        ]

    def to_representation(self, instance: Application) -> dict[str, Any]:
        """Personal data masked (huying.core.personal_data); the full values only through personal-data/."""
        from ..permissions import is_applicant_side
        from ..services.personal_data import masked_applicant

        data: dict[str, Any] = super().to_representation(instance)
        actor = self.context.get("actor")
        own = actor is not None and is_applicant_side(actor, instance)
        data.update(masked_applicant(instance, own=own))
        return data

    def get_item(self, obj: Application) -> str | None:
        return obj.item.code if obj.item is not None else None

    def get_bundle(self, obj: Application) -> str | None:
        return obj.bundle.code if obj.bundle is not None else None

    def get_allowed_actions(self, obj: Application) -> list[str]:
        from ..permissions import allowed_actions

        actor = self.context.get("actor")
        return allowed_actions(actor, obj) if actor is not None else []


class ApplicationTimelineRowSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    at = serializers.DateTimeField()
    actor = serializers.CharField()
    unit = serializers.CharField()
    status_label = serializers.CharField()
    note = serializers.CharField()
    details = serializers.ListField(child=serializers.CharField())


class ApplicationProxySerializer(serializers.ModelSerializer):
    agent = serializers.CharField(source="agent.username")
    principal_code = MaskedIdNumberField(only_if_id=True, help_text=_("委托人证件号码（身份证号码脱敏显示）"))
    principal_kind = serializers.CharField()

    class Meta:
        model = ProxyAuthorisation
        fields = [
            "id",
            "principal_kind",
            "principal_name",
            "principal_code",
            "agent",
            "scope",
            "valid_until",
            "revoked_at",
        ]


class ApplicationAssistSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    person_name = serializers.CharField()
    served_on = serializers.DateField()


class ApplicationFiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    received = serializers.IntegerField()
    accepted = serializers.IntegerField()
    decided = serializers.IntegerField()
    approved = serializers.IntegerField()
    refused = serializers.IntegerField()
    rejected = serializers.IntegerField()
    corrections = serializers.IntegerField()
    on_time = serializers.IntegerField()
    on_time_pct = serializers.FloatField(allow_null=True)
    avg_workdays = serializers.FloatField(allow_null=True)
    overdue_open = serializers.IntegerField()
    materials_e_licence = serializers.IntegerField()
    materials_paper = serializers.IntegerField()
    e_licence_pct = serializers.FloatField(allow_null=True)


def figures_data(f: Any) -> dict[str, Any]:
    names: list[str] = [str(name) for name in ApplicationFiguresSerializer().fields]
    return {name: getattr(f, name) for name in names}


class ApplicationRevealSerializer(PurposeSerializer):
    pass


class ApplicationPersonalDataSerializer(serializers.Serializer):
    applicant_name = serializers.CharField()
    applicant_code = serializers.CharField(help_text=_("完整的身份证号码或统一社会信用代码"))
    applicant_phone = serializers.CharField()
    form_data = serializers.DictField(
        child=serializers.CharField(), help_text=_("表单中的身份证号码和电话（完整）：字段标识 → 值")
    )

"""Shapes of the appeal API: input serializers parse and check types, output serializers render.

Input serializers never save: the views hand their ``validated_data`` to a service, which holds
the business rules (and raises ValidationFailed with field errors of its own).
"""

from __future__ import annotations

import decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from huying.accounts.selectors import Actor
from huying.core import deadlines
from huying.core.drf import RowRelatedField, ShallowFieldsSerializer
from huying.core.masking import mask_id_number, mask_name, mask_phone
from huying.organisations.models import Division, OrgUnit
from huying.organisations.selectors import handling_units

from .. import selectors
from ..models import Appeal, AppealEvent, Category, TimeLimitRule
from ..permissions import allowed_actions, can_view_personal_data
from ..services import MAX_EXTENSION_DAYS
from ..states import (
    Action,
    AppealType,
    Channel,
    ReferTarget,
    Resolution,
    Satisfaction,
    Status,
    Urgency,
    event_label,
    status_label,
)

# Event data for staff only (a reply-quality warning is an internal note).
STAFF_ONLY_DATA = frozenset({"reply_warnings"})


# --- references -----------------------------------------------------------------------------


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    label = serializers.CharField(help_text=_("显示用名称（简称优先）"))  # type: ignore[assignment]


class UnitSerializer(UnitRefSerializer):
    kind = serializers.ChoiceField(choices=OrgUnit.Kind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    parent_id = serializers.IntegerField(allow_null=True)
    division_code = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_division_code(self, unit: OrgUnit) -> str | None:
        return unit.division.code if unit.division_id and unit.division else None


class DivisionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    full_name = serializers.CharField(source="__str__", help_text=_("含上级分类的名称"))


class TimeLimitSerializer(serializers.Serializer):
    amount = serializers.IntegerField(help_text=_("办理时限数值"))
    unit = serializers.ChoiceField(choices=TimeLimitRule.Unit.choices, help_text=_("hours 自然小时 / workdays 工作日"))


class TimeLimitsSerializer(serializers.Serializer):
    general = TimeLimitSerializer()
    urgent = TimeLimitSerializer()
    emergency = TimeLimitSerializer()


class CategorySerializer(CategoryRefSerializer):
    parent = CategoryRefSerializer(allow_null=True)
    unit = UnitRefSerializer(allow_null=True, help_text=_("派单目录中的默认承办单位"))
    allows_anonymous = serializers.BooleanField()
    time_limits = serializers.SerializerMethodField(help_text=_("按紧急程度的默认办理时限"))

    @extend_schema_field(TimeLimitsSerializer)
    def get_time_limits(self, category: Category) -> dict[str, Any]:
        limits = self.context["time_limits"][category.pk]
        return {urgency: {"amount": amount, "unit": unit} for urgency, (amount, unit) in limits.items()}


class SuggestUnitQuerySerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False, allow_null=True, help_text=_("分类ID")
    )
    division = serializers.CharField(required=False, allow_blank=True, help_text=_("行政区划代码或ID"))
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.GENERAL)


class SuggestUnitSerializer(serializers.Serializer):
    unit = UnitRefSerializer(allow_null=True, help_text=_("建议的主办单位；派单目录中没有时为 null"))
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    time_limit = TimeLimitSerializer()


# --- appeals: output ------------------------------------------------------------------------


class RepeatRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)


class _ActorMixin:
    context: dict[str, Any]

    @property
    def actor(self) -> Actor:
        return self.context["actor"]  # type: ignore[no-any-return]


class AppealListItemSerializer(_ActorMixin, serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField(source="get_status_display")
    channel = serializers.ChoiceField(choices=Channel.choices)
    appeal_type = serializers.ChoiceField(choices=AppealType.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    title = serializers.CharField()
    category = CategoryRefSerializer(allow_null=True)
    lead_unit = UnitRefSerializer(allow_null=True)
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    deadline_state = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField()
    supervise_level = serializers.IntegerField()
    version = serializers.IntegerField(help_text=_("乐观锁版本号；执行操作时作为 version 提交"))
    allowed_actions = serializers.SerializerMethodField(help_text=_("当前用户此刻可执行的操作"))

    @extend_schema_field(serializers.ChoiceField(choices=deadlines.CHOICES))
    def get_deadline_state(self, appeal: Appeal) -> str:
        return selectors.appeal_deadline(appeal)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Action.choices)))
    def get_allowed_actions(self, appeal: Appeal) -> list[str]:
        return [str(a) for a in allowed_actions(self.actor, appeal)]


class AppealDetailSerializer(AppealListItemSerializer):
    content = serializers.CharField()
    division = DivisionRefSerializer(allow_null=True)
    address = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)
    is_anonymous = serializers.BooleanField()
    is_confidential = serializers.BooleanField()
    requester_hidden = serializers.SerializerMethodField(
        help_text=_("为诉求人保密的工单：承办单位看不到诉求人的任何信息")
    )
    requester_name = serializers.SerializerMethodField()
    requester_phone = serializers.SerializerMethodField(help_text=_("脱敏显示；完整号码请调用 personal-data 接口"))
    requester_id_number = serializers.SerializerMethodField(help_text=_("脱敏显示（前6后4）"))
    assist_units = serializers.SerializerMethodField()
    time_limit = serializers.SerializerMethodField()
    paused_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    dispatched_at = serializers.DateTimeField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    is_signed_on_time = serializers.BooleanField(allow_null=True)
    is_replied_on_time = serializers.BooleanField(allow_null=True)
    reply_text = serializers.CharField()
    refer_target = serializers.ChoiceField(choices=ReferTarget.choices, allow_blank=True)
    resolution = serializers.ChoiceField(choices=Resolution.choices, allow_blank=True)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, allow_blank=True)
    rehandle_count = serializers.IntegerField()
    repeat_count = serializers.IntegerField()
    merged_into = RepeatRefSerializer(allow_null=True)

    def _hidden(self, appeal: Appeal) -> bool:
        return appeal.is_confidential and not can_view_personal_data(self.actor, appeal)

    def get_requester_hidden(self, appeal: Appeal) -> bool:
        return self._hidden(appeal)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_requester_name(self, appeal: Appeal) -> str | None:
        return None if self._hidden(appeal) else appeal.requester_name

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_requester_phone(self, appeal: Appeal) -> str | None:
        return None if self._hidden(appeal) else mask_phone(appeal.requester_phone)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_requester_id_number(self, appeal: Appeal) -> str | None:
        return None if self._hidden(appeal) else mask_id_number(appeal.requester_id_number)

    @extend_schema_field(UnitRefSerializer(many=True))
    def get_assist_units(self, appeal: Appeal) -> list[dict[str, Any]]:
        units = [a.unit for a in appeal.assignments.all() if a.is_active and a.role == a.Role.ASSIST]
        return UnitRefSerializer(units, many=True).data  # type: ignore[return-value]

    @extend_schema_field(TimeLimitSerializer(allow_null=True))
    def get_time_limit(self, appeal: Appeal) -> dict[str, Any] | None:
        if not appeal.time_limit_amount:
            return None
        return {"amount": appeal.time_limit_amount, "unit": appeal.time_limit_unit}


class _IntakeOutcomeMixin(serializers.Serializer):
    repeat_of = serializers.SerializerMethodField(
        help_text=_("同一诉求人就同一事项已有在办工单时，本诉求并入该工单（本工单状态为 merged）")
    )
    warnings = serializers.SerializerMethodField()

    @extend_schema_field(RepeatRefSerializer(allow_null=True))
    def get_repeat_of(self, appeal: Appeal) -> dict[str, Any] | None:
        lead = self.context.get("repeat_of")
        return RepeatRefSerializer(lead).data if lead is not None else None  # type: ignore[return-value]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, appeal: Appeal) -> list[str]:
        return [str(w) for w in self.context.get("warnings", [])]


class _StatusLabelField(serializers.CharField):
    """The status's label. (Django's ``get_status_display`` rebuilds a dict of every choice per call,
    which showed in the intake's profile.)"""

    def to_representation(self, value: Any) -> str:
        return str(Status(value).label)


class AppealSubmitResultSerializer(ShallowFieldsSerializer, _IntakeOutcomeMixin):
    """What intake answers: enough to tell the caller the number and what happens next.

    Slim on purpose (intake is the hot path); GET /appeals/{id}/ gives the whole order."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = _StatusLabelField(source="status")
    version = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    lead_unit = UnitRefSerializer(allow_null=True)


class AppealRecordCallResultSerializer(_IntakeOutcomeMixin, AppealDetailSerializer):
    """The operator sees the whole dispatched order at once (units, deadline, allowed actions)."""


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField(help_text=_("操作代码（状态机操作，或 submit、repeat_linked、overdue 等系统事件）"))
    action_display = serializers.SerializerMethodField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    to_status_display = serializers.SerializerMethodField()
    note = serializers.CharField()
    actor_name = serializers.SerializerMethodField(help_text=_("操作人；市民看到的进度中不显示"))
    actor_unit = UnitRefSerializer(allow_null=True)
    data = serializers.JSONField()  # type: ignore[assignment]
    is_public = serializers.BooleanField()
    created_at = serializers.DateTimeField()

    def get_action_display(self, event: AppealEvent) -> str:
        return event_label(event.action)

    def get_to_status_display(self, event: AppealEvent) -> str:
        return status_label(event.to_status)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor_name(self, event: AppealEvent) -> str | None:
        if self.context.get("public_only") or event.actor is None:
            return None
        return str(event.actor)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        out: dict[str, Any] = super().to_representation(instance)
        if self.context.get("public_only") and isinstance(out.get("data"), dict):
            out["data"] = {k: v for k, v in out["data"].items() if k not in STAFF_ONLY_DATA}
        return out


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text=_("字节数"))
    created_at = serializers.DateTimeField()


class PublicEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_display = serializers.SerializerMethodField()
    to_status = serializers.CharField()
    to_status_display = serializers.SerializerMethodField()
    note = serializers.CharField()
    unit = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_action_display(self, event: AppealEvent) -> str:
        return event_label(event.action)

    def get_to_status_display(self, event: AppealEvent) -> str:
        return status_label(event.to_status)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_unit(self, event: AppealEvent) -> str | None:
        return event.actor_unit.label if event.actor_unit else None


class PublicAppealSerializer(serializers.Serializer):
    """What a requester sees after verifying the code sent to their phone: no staff names."""

    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField(source="get_status_display")
    appeal_type = serializers.ChoiceField(choices=AppealType.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    category = serializers.SerializerMethodField()
    lead_unit = serializers.SerializerMethodField()
    requester_name = serializers.SerializerMethodField()
    requester_phone = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    reply_text = serializers.CharField()
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_category(self, appeal: Appeal) -> str | None:
        return str(appeal.category) if appeal.category else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_lead_unit(self, appeal: Appeal) -> str | None:
        return appeal.lead_unit.label if appeal.lead_unit else None

    def get_requester_name(self, appeal: Appeal) -> str:
        return mask_name(appeal.requester_name)

    def get_requester_phone(self, appeal: Appeal) -> str:
        return mask_phone(appeal.requester_phone)

    @extend_schema_field(PublicEventSerializer(many=True))
    def get_timeline(self, appeal: Appeal) -> list[dict[str, Any]]:
        events = selectors.appeal_timeline(appeal, public_only=True)
        return PublicEventSerializer(events, many=True).data  # type: ignore[return-value]


class PersonalDataSerializer(serializers.Serializer):
    requester_name = serializers.CharField()
    requester_phone = serializers.CharField()
    requester_id_number = serializers.CharField()


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("请求头 Authorization: Token <token>"))


class MessageSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- appeals: input -------------------------------------------------------------------------


class CoordinateField(serializers.DecimalField):
    """A latitude/longitude: devices send more decimals than we store, so round instead of refusing."""

    def __init__(self, *, limit: int, **kwargs: Any) -> None:
        super().__init__(
            max_digits=9,
            decimal_places=6,
            rounding=decimal.ROUND_HALF_UP,
            min_value=decimal.Decimal(-limit),
            max_value=decimal.Decimal(limit),
            coerce_to_string=False,
            required=False,
            allow_null=True,
            **kwargs,
        )

    def validate_precision(self, value: decimal.Decimal) -> decimal.Decimal:
        return value


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True})
class DivisionField(serializers.Field):
    """A division by its GB/T 2260 code (a JSON string such as "371602") or its id (a JSON integer)."""

    default_error_messages = {"unknown": _("行政区划不存在：%(value)s。")}

    def to_internal_value(self, data: Any) -> Division:
        division = division_lookup(data)
        if division is None:
            self.fail("unknown", value=str(data)[:20])
        return division

    def to_representation(self, value: Division) -> str:
        return value.code


def division_lookup(value: Any) -> Division | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Division.objects.filter(pk=value).first()
    code = str(value or "").strip()
    if not code.isdigit() or len(code) > 12:
        return None
    rows = Division.objects.filter(code=code)
    return rows.filter(valid_to__isnull=True).first() or rows.order_by("-valid_from").first()


def _units(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=handling_units(), **kwargs)


class AppealSubmitSerializer(ShallowFieldsSerializer):
    channel = serializers.ChoiceField(
        choices=Channel.choices, help_text=_("未登录或市民账号只能使用 web、mobile；工作人员和对接系统可用任意渠道")
    )
    appeal_type = serializers.ChoiceField(choices=AppealType.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.GENERAL)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=5000)
    category = RowRelatedField(
        model=Category, equals={"is_active": True}, required=False, allow_null=True, default=None
    )
    division = DivisionField(required=False, allow_null=True, default=None)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = CoordinateField(limit=90, default=None)
    longitude = CoordinateField(limit=180, default=None)
    requester_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    requester_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default="", help_text=_("11位手机号或带区号的固定电话")
    )
    requester_id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    is_anonymous = serializers.BooleanField(default=False)
    is_confidential = serializers.BooleanField(default=False, help_text=_("举报、投诉人信息不向承办单位显示"))


class AppealSubmitMultipartSerializer(AppealSubmitSerializer):
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=9, help_text=_("JPG、PNG、PDF、MP3、MP4")
    )


class AppealRecordCallSerializer(AppealSubmitSerializer):
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.HOTLINE)
    lead_unit = _units(required=False, allow_null=True, default=None, help_text=_("主办单位；不填则只受理不派单"))
    assist_units = _units(many=True, required=False, default=list, help_text=_("协办单位"))
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class AppealFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    category = serializers.IntegerField(required=False, min_value=1, help_text=_("分类ID（含下级分类）"))
    lead_unit = serializers.IntegerField(required=False, min_value=1, help_text=_("主办单位ID"))
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None, help_text=_("是否超期"))
    q = serializers.CharField(required=False, max_length=100, help_text=_("工单编号或标题关键字"))
    submitted_after = serializers.DateField(required=False, help_text=_("提交日期不早于（含）"))
    submitted_before = serializers.DateField(required=False, help_text=_("提交日期不晚于（含）"))


class UnitFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrgUnit.Kind.choices, required=False)
    q = serializers.CharField(required=False, max_length=50, help_text=_("名称关键字"))


class ActionSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", help_text=_("意见、原因或答复内容")
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("客户端看到的工单版本号；与当前版本不一致时返回 409 changed_meanwhile，且不做任何修改"),
    )


class DispatchActionSerializer(ActionSerializer):
    lead_unit = _units(help_text=_("主办单位ID"))
    assist_units = _units(many=True, required=False, default=list, help_text=_("协办单位ID"))
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("问题分类ID：派单时确定或更正分类（可不填）"),
    )


class ReferActionSerializer(ActionSerializer):
    refer_target = serializers.ChoiceField(choices=ReferTarget.choices)


class MergeActionSerializer(ActionSerializer):
    merge_into = serializers.CharField(max_length=20, help_text=_("并入的在办工单编号（或工单ID）"))


class RequestExtensionActionSerializer(ActionSerializer):
    extension_days = serializers.IntegerField(min_value=1, max_value=MAX_EXTENSION_DAYS, help_text=_("延期工作日数"))


class ApproveExtensionActionSerializer(ActionSerializer):
    extension_days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("批准的延期工作日数；不填则按申请的天数"),
    )


class FollowUpActionSerializer(ActionSerializer):
    resolution = serializers.ChoiceField(choices=Resolution.choices)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, help_text=_("协办意见"))


class PersonalDataRequestSerializer(serializers.Serializer):
    purpose = serializers.CharField(max_length=200, help_text=_("查看事由（记入审计日志）"))


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("JPG、PNG、PDF、MP3 或 MP4，按文件内容识别类型"))


class TrackSendSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=20, help_text=_("工单编号"))
    phone = serializers.CharField(max_length=30, help_text=_("提交诉求时留的电话"))


class TrackVerifySerializer(serializers.Serializer):
    number = serializers.CharField(max_length=20)
    code = serializers.RegexField(r"^\d{6}$", help_text=_("短信验证码（6位数字）"))


class AuthCredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)

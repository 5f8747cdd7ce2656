"""What the appeal API parses: intake, filters, the inputs of each action, tracking and sign-in."""

from __future__ import annotations

import decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from huying.core import params
from huying.core.drf import RowRelatedField, ShallowFieldsSerializer
from huying.organisations.models import Division, OrgUnit
from huying.organisations.selectors import handling_units

from ...models import Category
from ...services import MAX_EXTENSION_DAYS
from ...states import (
    AppealType,
    Channel,
    ReferTarget,
    Resolution,
    Satisfaction,
    Status,
    Urgency,
)

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
        # Out of range is refused here, before rounding: quantize cannot hold a huge value.
        if self.max_value is not None and value > self.max_value:
            self.fail("max_value", max_value=self.max_value)
        if self.min_value is not None and value < self.min_value:
            self.fail("min_value", min_value=self.min_value)
        return value


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True})
class DivisionField(serializers.Field):
    """A division by its GB/T 2260 code (a JSON string such as "371602") or its id (a JSON integer)."""

    default_error_messages = {"unknown": _("行政区划不存在：{value}。")}

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
    category = params.id_field(required=False, help_text=_("分类ID（含下级分类）"))
    lead_unit = params.id_field(required=False, help_text=_("主办单位ID"))
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None, help_text=_("是否超期"))
    q = serializers.CharField(required=False, max_length=100, help_text=_("工单编号或标题关键字"))
    submitted_after = params.date_field(required=False, help_text=_("提交日期不早于（含）"))
    submitted_before = params.date_field(required=False, help_text=_("提交日期不晚于（含）"))


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

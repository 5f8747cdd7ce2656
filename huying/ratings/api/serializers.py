"""Serializers of the ratings API: inputs parse, outputs render; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from huying.core import deadlines, params
from huying.core.masking import mask_phone

from ..models import Complaint, Rating, RectificationCase
from ..selectors import case_deadline
from ..states import CaseStatus, Channel, ComplaintReason, RevisitView, Source, kind_label

REASON_HELP = "、".join(f"{c.value}（{c.label}）" for c in ComplaintReason)
CHANNEL_HELP = "评价渠道：" + "、".join(f"{c.value}（{c.label}）" for c in Channel)
SOURCE_HELP = "评价来源（谁提交的评价）：" + "、".join(f"{c.value}（{c.label}）" for c in Source)
LEVEL_MESSAGE = _("请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意。")


class RatingSubmitSerializer(serializers.Serializer):
    kind = serializers.CharField(
        max_length=20, help_text=_("评价对象类型：application（办件）、window_visit（窗口服务）、appeal（12345工单）")
    )
    ref = serializers.CharField(max_length=64, help_text=_("事项编号（办件编号、取号单号、工单编号）"))
    level = serializers.IntegerField(
        min_value=1,
        max_value=5,
        help_text=_("5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意"),
        error_messages={
            "invalid": LEVEL_MESSAGE,
            "min_value": LEVEL_MESSAGE,
            "max_value": LEVEL_MESSAGE,
            "required": LEVEL_MESSAGE,
            "null": LEVEL_MESSAGE,
        },
    )
    channel = serializers.ChoiceField(choices=Channel.choices, error_messages={"invalid_choice": _("评价渠道无效。")})
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("差评必填：不满意的原因"))
    dimensions = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5),
        required=False,
        help_text=_(
            "分项评分1–5。线下渠道：service_efficiency、service_competence、service_attitude；"
            "网上渠道：efficiency、guide_accuracy、convenience、usability"
        ),
    )


class RatingSerializer(serializers.ModelSerializer):
    channel = serializers.CharField(help_text=CHANNEL_HELP)
    level_label = serializers.CharField(source="get_level_display")
    channel_label = serializers.CharField(source="get_channel_display")
    source = serializers.CharField(help_text=SOURCE_HELP)  # type: ignore[assignment]  # the field, not Field.source
    source_label = serializers.CharField(source="get_source_display")
    kind_label = serializers.SerializerMethodField()
    case_id = serializers.SerializerMethodField()

    class Meta:
        model = Rating
        fields = [
            "id",
            "kind",
            "kind_label",
            "ref",
            "title",
            "level",
            "level_label",
            "channel",
            "channel_label",
            "source",
            "source_label",
            "comment",
            "dimensions",
            "is_real_name",
            "occurred_at",
            "created_at",
            "case_id",
        ]

    def get_kind_label(self, obj: Rating) -> str:
        return kind_label(obj.kind)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_case_id(self, obj: Rating) -> int | None:
        case = getattr(obj, "case", None) if obj.is_bad else None
        return case.pk if case is not None else None


class RatedActSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    ref = serializers.CharField()
    title = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    rate_until = serializers.DateTimeField(help_text=_("评价截止时间（办事之日起N个工作日）"))
    entry_mode = serializers.ChoiceField(
        choices=[("rater", _("本人评价")), ("staff", _("工作人员代录"))], help_text=_("当前用户的评价方式")
    )
    rating = RatingSerializer(allow_null=True)


class RatingUnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseRatingSerializer(serializers.ModelSerializer):
    channel = serializers.CharField(help_text=CHANNEL_HELP)
    level_label = serializers.CharField(source="get_level_display")
    channel_label = serializers.CharField(source="get_channel_display")
    source = serializers.CharField(help_text=SOURCE_HELP)  # type: ignore[assignment]  # the field, not Field.source
    source_label = serializers.CharField(source="get_source_display")
    rater_phone = serializers.SerializerMethodField(help_text=_("脱敏后的评价人电话"))

    class Meta:
        model = Rating
        fields = [
            "id",
            "kind",
            "ref",
            "title",
            "level",
            "level_label",
            "channel",
            "channel_label",
            "source",
            "source_label",
            "comment",
            "is_real_name",
            "rater_phone",
            "excluded",
            "created_at",
        ]

    def get_rater_phone(self, obj: Rating) -> str:
        return mask_phone(obj.rater_phone)


class ComplaintSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(help_text=REASON_HELP)
    status = serializers.CharField(help_text="pending（待复核）、upheld（申诉成立）、rejected（申诉不成立）")
    reason_label = serializers.CharField(source="get_reason_display")
    status_label = serializers.CharField(source="get_status_display")
    case_id = serializers.IntegerField(source="case.pk")
    rating = CaseRatingSerializer(source="case.rating")

    class Meta:
        model = Complaint
        fields = [
            "id",
            "case_id",
            "rating",
            "reason",
            "reason_label",
            "statement",
            "status",
            "status_label",
            "filed_at",
            "review_note",
            "reviewed_at",
            "version",
        ]


class CaseSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text="、".join(f"{c.value}（{c.label}）" for c in CaseStatus))
    resolution = serializers.CharField(help_text="immediate（立行立改）、scheduled（限期整改）、explained（解释说明）")
    revisit_view = serializers.CharField(help_text="、".join(f"{c.value}（{c.label}）" for c in RevisitView))
    status_label = serializers.CharField(source="get_status_display")
    unit = serializers.SerializerMethodField()
    rating = CaseRatingSerializer()
    deadline = serializers.SerializerMethodField(help_text=_("期限状态：overdue、due_soon、ok、none"))
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = RectificationCase
        fields = [
            "id",
            "status",
            "status_label",
            "version",
            "unit",
            "rating",
            "due_at",
            "is_overdue",
            "deadline",
            "contact_person",
            "finding",
            "resolution",
            "measures",
            "ledger_entry",
            "rectify_by",
            "answer_text",
            "answered_at",
            "is_answered_on_time",
            "revisit_view",
            "revisit_note",
            "closed_at",
            "allowed_actions",
        ]

    @extend_schema_field(RatingUnitRefSerializer(allow_null=True))
    def get_unit(self, obj: RectificationCase) -> dict[str, Any] | None:
        return {"id": obj.unit.pk, "name": obj.unit.name} if obj.unit is not None else None

    @extend_schema_field(serializers.ChoiceField(choices=deadlines.CHOICES))
    def get_deadline(self, obj: RectificationCase) -> str:
        return case_deadline(obj)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, obj: RectificationCase) -> list[str]:
        from ..permissions import allowed_actions

        return allowed_actions(self.context["actor"], obj)


class CaseFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            ("open", _("待整改反馈")),
            ("followup", _("待回访/办结")),
            ("closed", _("已办结")),
            ("all", _("全部")),
        ],
        required=False,
        default="open",
    )


class CaseActionSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("核实情况、整改措施、说明、反馈或回访记录")
    )
    version = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("页面上看到的版本号；已被他人修改时返回409")
    )
    contact_person = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("核实：联系评价人的人员")
    )
    resolution = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("说明理由：scheduled（限期整改，须台账和日期）或 explained（解释说明）"),
    )
    ledger_entry = serializers.CharField(required=False, allow_blank=True, default="")
    rectify_by = serializers.DateField(required=False, allow_null=True, default=None)
    revisit_view = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="、".join(f"{c.value}（{c.label}）" for c in RevisitView),
    )


class ComplaintFileSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text=REASON_HELP)
    statement = serializers.CharField(allow_blank=True, help_text=_("申诉理由和依据"))


class ComplaintReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("uphold", _("申诉成立")), ("reject", _("申诉不成立"))])
    note = serializers.CharField(max_length=2000, help_text=_("复核意见"))
    version = serializers.IntegerField(required=False, allow_null=True)


class FiguresQuerySerializer(serializers.Serializer):
    month = params.month_field(required=False, help_text=_("月份，如 2026-03"))
    kind = serializers.ChoiceField(
        choices=[("application", "application"), ("window_visit", "window_visit"), ("appeal", "appeal")], required=False
    )
    group = serializers.ChoiceField(
        choices=[
            ("unit", _("按单位")),
            ("kind", _("按评价对象")),
            ("channel", _("按评价渠道")),
            ("month", _("按月份")),
        ],
        required=False,
        default="unit",
    )


class FigureValuesSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("有效评价数（不含申诉成立剔除的差评）"))
    by_level = serializers.DictField(child=serializers.IntegerField(), help_text=_("等级 1–5 → 评价数"))
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text=_("满意率%：（非常满意+满意+基本满意）÷全部"))
    good_rate = serializers.FloatField(allow_null=True, help_text=_("好评率%：（非常满意+满意）÷全部"))
    bad = serializers.IntegerField()
    bad_answered = serializers.IntegerField()
    rectification_rate = serializers.FloatField(allow_null=True, help_text=_("差评整改率%：已反馈的差评÷差评"))
    real_name_bad = serializers.IntegerField()
    real_name_bad_revisited = serializers.IntegerField()
    revisit_rate = serializers.FloatField(allow_null=True, help_text=_("实名差评回访率%：已回访的实名差评÷实名差评"))


class FigureRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    figures = FigureValuesSerializer()


class FiguresSerializer(serializers.Serializer):
    overall = FigureValuesSerializer()
    group = serializers.CharField()
    rows = FigureRowSerializer(many=True)
    definitions = serializers.DictField(child=serializers.CharField())


class RaterPhoneSerializer(serializers.Serializer):
    rater_phone = serializers.CharField(help_text=_("评价人完整电话"))

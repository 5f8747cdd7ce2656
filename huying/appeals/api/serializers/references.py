"""Reference data of the appeal API: units, divisions, categories and their time limits, the unit suggestion."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from huying.organisations.models import OrgUnit

from ...models import Category, TimeLimitRule
from ...states import (
    Urgency,
)

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

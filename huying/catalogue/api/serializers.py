from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors
from ..models import Bundle, FormField, Material, ReviewStep, ServiceItem


def choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A choice field documented inline (a plain string enum), not as a shared enum component:
    other apps have fields called "level" or "kind" with other choices, and shared enum names
    collide in the schema."""
    schema = {"allOf": [{"type": "string", "enum": [str(value) for value, _label in choices.choices]}]}
    field_class = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices.choices, **kwargs)  # type: ignore[no-any-return]


class ItemQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text=_("名称、编码或拼音首字母"))
    unit = serializers.IntegerField(required=False, min_value=1, help_text=_("实施部门ID（含下级单位）"))
    level = choice(ServiceItem.Level, required=False, help_text=_("行使层级"))
    applicant_kind = choice(
        ServiceItem.ApplicantKind, required=False, help_text=_("服务对象（person/enterprise 也含两者皆可）")
    )


class ServiceUnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ItemListSerializer(serializers.ModelSerializer):
    unit = ServiceUnitRefSerializer(read_only=True)
    item_type = choice(ServiceItem.ItemType, read_only=True, help_text=_("事项类型"))
    level = choice(ServiceItem.Level, read_only=True, help_text=_("行使层级"))
    applicant_kind = choice(ServiceItem.ApplicantKind, read_only=True, help_text=_("服务对象"))
    review_mode = choice(ServiceItem.ReviewMode, read_only=True, help_text=_("办件类型"))

    class Meta:
        model = ServiceItem
        fields = [
            "code",
            "basic_code",
            "name",
            "unit",
            "item_type",
            "level",
            "applicant_kind",
            "review_mode",
            "legal_days",
            "promised_days",
            "online",
            "max_visits",
        ]


class MaterialSerializer(serializers.ModelSerializer):
    licence_type_name = serializers.SerializerMethodField(help_text=_("可替代此材料的电子证照类型名称，空表示无"))
    form = choice(Material.Form, read_only=True, help_text=_("材料形式"))
    source = choice(Material.Source, read_only=True, help_text=_("来源渠道"))  # type: ignore[assignment]

    class Meta:
        model = Material
        fields = [
            "key",
            "name",
            "form",
            "source",
            "required",
            "copies",
            "notes",
            "licence_type_code",
            "licence_type_name",
        ]

    def get_licence_type_name(self, obj: Material) -> str:
        return selectors.licence_type_name(obj.licence_type_code) if obj.licence_type_code else ""


class FormFieldSerializer(serializers.ModelSerializer):
    kind = choice(FormField.Kind, read_only=True, help_text=_("字段类型"))

    class Meta:
        model = FormField
        fields = ["key", "label", "kind", "choices", "required"]


class ReviewStepSerializer(serializers.ModelSerializer):
    unit = ServiceUnitRefSerializer(read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = ReviewStep
        fields = ["item_code", "stage", "name", "unit", "days"]


class ItemDetailSerializer(ItemListSerializer):
    materials = MaterialSerializer(many=True, read_only=True)
    form_fields = FormFieldSerializer(many=True, read_only=True)
    review_stages = serializers.SerializerMethodField(
        help_text=_("审批阶段：每个阶段内的环节并联进行；没有审批环节的事项为实施主体一步审查决定")
    )

    class Meta(ItemListSerializer.Meta):
        fields = [
            *ItemListSerializer.Meta.fields,
            "legal_basis",
            "conditions",
            "process",
            "fee",
            "fee_basis",
            "place",
            "hours",
            "contact_phone",
            "proxy_allowed",
            "express_delivery",
            "result_name",
            "result_licence_type_code",
            "materials",
            "form_fields",
            "review_stages",
        ]

    @extend_schema_field(serializers.ListField(child=ReviewStepSerializer(many=True)))
    def get_review_stages(self, obj: ServiceItem) -> list[Any]:
        return [ReviewStepSerializer(stage, many=True).data for stage in selectors.item_review_stages(obj)]


class BundleListSerializer(serializers.ModelSerializer):
    lead_unit = ServiceUnitRefSerializer(read_only=True)
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Bundle
        fields = ["code", "name", "description", "lead_unit", "promised_days", "review_in_parallel", "item_count"]


class ItemCountsSerializer(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.name")
    promised_days = serializers.IntegerField(source="item.promised_days")
    material_count = serializers.IntegerField()
    field_count = serializers.IntegerField()


class BundlePlanSerializer(serializers.Serializer):
    items = ItemListSerializer(many=True)
    fields = FormFieldSerializer(many=True)  # type: ignore[assignment]
    materials = MaterialSerializer(many=True)
    rows = ItemCountsSerializer(many=True, help_text=_("逐项办理时各事项的材料数和填写项数"))
    separate_material_count = serializers.IntegerField()
    bundle_material_count = serializers.IntegerField()
    separate_field_count = serializers.IntegerField()
    bundle_field_count = serializers.IntegerField()
    materials_saved_pct = serializers.IntegerField()
    fields_saved_pct = serializers.IntegerField()
    promised_days = serializers.IntegerField()
    separate_promised_days = serializers.IntegerField()
    review_stages = serializers.ListField(child=ReviewStepSerializer(many=True))


class BundleDetailSerializer(serializers.Serializer):
    code = serializers.CharField(source="bundle.code")
    name = serializers.CharField(source="bundle.name")
    description = serializers.CharField(source="bundle.description")
    lead_unit = ServiceUnitRefSerializer(source="bundle.lead_unit")
    plan = BundlePlanSerializer(source="*")

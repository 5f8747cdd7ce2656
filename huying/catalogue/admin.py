"""Admin for the service catalogue (configuration, audited). Items carry their materials, form
fields and review steps as inlines, bundles their items. Licence type codes are checked as the
import checks them (21 characters, a valid 统一社会信用代码 and a 3-digit sequence)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from huying.core.admin import AuditedModelAdmin

from .models import Bundle, BundleItem, FormField, Material, ReviewStep, ServiceItem
from .selectors import licence_type_name
from .workbook import licence_code_problem


def _clean_licence_code(form: forms.ModelForm, name: str) -> str:
    code = (form.cleaned_data.get(name) or "").strip().upper()
    if code:
        problem = licence_code_problem(code)
        if problem:
            raise forms.ValidationError(problem)
    return code


class ServiceItemForm(forms.ModelForm):
    class Meta:
        model = ServiceItem
        fields = ["result_licence_type_code"]  # the admin adds the fields of its fieldsets

    def clean_result_licence_type_code(self) -> str:
        return _clean_licence_code(self, "result_licence_type_code")


class MaterialForm(forms.ModelForm):
    class Meta:
        model = Material
        fields = ["licence_type_code"]  # the admin adds the fields it lists

    def clean_licence_type_code(self) -> str:
        return _clean_licence_code(self, "licence_type_code")


class MaterialInline(admin.TabularInline):
    model = Material
    form = MaterialForm
    extra = 0
    fields = ["sort", "key", "name", "form", "source", "required", "copies", "licence_type_code", "notes"]


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 0
    fields = ["sort", "key", "label", "kind", "choices", "required"]


class ReviewStepInline(admin.TabularInline):
    model = ReviewStep
    extra = 0
    fields = ["stage", "name", "unit", "days"]
    autocomplete_fields = ["unit"]


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedModelAdmin):
    form = ServiceItemForm
    list_display = [
        "code",
        "name",
        "unit",
        "item_type",
        "level",
        "review_mode",
        "legal_days",
        "promised_days",
        "is_active",
    ]
    list_filter = ["is_active", "level", "item_type", "review_mode", "applicant_kind", "online"]
    search_fields = ["code", "basic_code", "name", "pinyin_initials"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["pinyin_initials", "updated_at"]
    inlines = [MaterialInline, FormFieldInline, ReviewStepInline]
    fieldsets = [
        (None, {"fields": ["code", "basic_code", "name", "unit", "is_active", "pinyin_initials", "updated_at"]}),
        (_("分类"), {"fields": ["item_type", "level", "applicant_kind", "review_mode"]}),
        (_("时限"), {"fields": ["legal_days", "promised_days"]}),
        (
            _("办事指南"),
            {"fields": ["legal_basis", "conditions", "process", "fee", "fee_basis", "place", "hours", "contact_phone"]},
        ),
        (
            _("办理方式与结果"),
            {
                "fields": [
                    "online",
                    "max_visits",
                    "proxy_allowed",
                    "express_delivery",
                    "result_name",
                    "result_licence_type_code",
                ]
            },
        ),
    ]


@admin.register(Material)
class MaterialAdmin(AuditedModelAdmin):
    form = MaterialForm
    list_display = ["name", "key", "item", "required", "licence", "sort"]
    list_filter = ["required", "form", "source"]
    search_fields = ["name", "key", "item__name", "item__code"]
    autocomplete_fields = ["item"]

    @admin.display(description=_("可用电子证照"))
    def licence(self, obj: Material) -> str:
        return licence_type_name(obj.licence_type_code) if obj.licence_type_code else "—"


@admin.register(FormField)
class FormFieldAdmin(AuditedModelAdmin):
    list_display = ["label", "key", "kind", "item", "required", "sort"]
    list_filter = ["kind", "required"]
    search_fields = ["label", "key", "item__name", "item__code"]
    autocomplete_fields = ["item"]


@admin.register(ReviewStep)
class ReviewStepAdmin(AuditedModelAdmin):
    list_display = ["item", "stage", "name", "unit", "days"]
    search_fields = ["name", "item__name", "item__code", "unit__name"]
    autocomplete_fields = ["item", "unit"]


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    extra = 0
    fields = ["sort", "item"]
    autocomplete_fields = ["item"]


@admin.register(Bundle)
class BundleAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "lead_unit", "promised_days", "review_in_parallel", "item_count", "is_active"]
    list_filter = ["is_active", "review_in_parallel"]
    search_fields = ["code", "name", "pinyin_initials"]
    autocomplete_fields = ["lead_unit"]
    readonly_fields = ["pinyin_initials"]
    inlines = [BundleItemInline]

    @admin.display(description=_("事项数"))
    def item_count(self, obj: Bundle) -> int:
        return obj.bundle_items.count()

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).select_related("lead_unit")

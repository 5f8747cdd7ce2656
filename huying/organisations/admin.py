from django.contrib import admin

from huying.core.admin import AuditedModelAdmin

from .models import Division, OrgUnit


@admin.register(Division)
class DivisionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to", "is_statistical"]
    list_filter = ["level", "is_statistical"]
    search_fields = ["code", "name"]


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "parent", "division", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    readonly_fields = ["path"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        expected = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
        if obj.path != expected:
            obj.path = expected
            obj.save(update_fields=["path"])

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms.models import model_to_dict
from django.http import HttpRequest

from .models import AuditLog, CalendarOverride, CalendarYear
from .services import audit_record, client_ip


def _jsonable(values: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in values.items()}


class AuditedModelAdmin(admin.ModelAdmin):
    """Every configuration change made in the admin is written to the audit log."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = _jsonable(model_to_dict(type(obj).objects.get(pk=obj.pk))) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        after = _jsonable(model_to_dict(obj))
        diff = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        audit_record(
            kind=AuditLog.Kind.CONFIG_CHANGE,
            actor=request.user,
            obj=obj,
            summary=f"{'修改' if change else '新增'} {obj._meta.verbose_name}：{obj}",
            data={"changes": diff},
            ip_address=client_ip(request),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            kind=AuditLog.Kind.CONFIG_CHANGE,
            actor=request.user,
            obj=obj,
            summary=f"删除 {obj._meta.verbose_name}：{obj}",
            data={"deleted": _jsonable(model_to_dict(obj))},
            ip_address=client_ip(request),
        )
        super().delete_model(request, obj)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedModelAdmin):
    list_display = ["year", "notice"]


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """A record written only by the services: the admin lists and shows it, never adds, changes or
    deletes it (``deletable = True`` keeps deleting, for records that may be cleared out)."""

    deletable = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.deletable and super().has_delete_permission(request, obj)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent (events, materials...), never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyModelAdmin):
    list_display = ["created_at", "kind", "actor", "summary", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["summary", "object_id"]

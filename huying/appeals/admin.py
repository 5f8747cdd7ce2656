"""Admin: the 派单目录 and 办理时限 are configuration (audited); work orders are read-only here,
because every write to an order goes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from huying.core.admin import AuditedModelAdmin, ReadOnlyInline, ReadOnlyModelAdmin
from huying.core.models import AuditLog
from huying.core.services import audit_record, client_ip

from . import services
from .models import Appeal, AppealEvent, Category, CategoryRoute, TimeLimitRule


class CategoryRouteInline(admin.TabularInline):
    model = CategoryRoute
    extra = 0
    autocomplete_fields = ["division", "unit"]
    verbose_name = _("属地派单规则")
    verbose_name_plural = _("属地派单规则")


class TimeLimitRuleInline(admin.TabularInline):
    model = TimeLimitRule
    extra = 0
    verbose_name = _("办理时限")
    verbose_name_plural = _("办理时限")


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "parent", "unit", "allows_anonymous", "is_active"]
    list_filter = ["is_active", "allows_anonymous", "parent"]
    search_fields = ["code", "name", "keywords"]
    autocomplete_fields = ["parent", "unit"]
    inlines = [CategoryRouteInline, TimeLimitRuleInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Changes made in the inlines are configuration too: audit each added, changed or deleted row."""
        super().save_formset(request, form, formset, change)
        changes = [("新增", obj) for obj in formset.new_objects]
        changes += [("修改", obj) for obj, _fields in formset.changed_objects]
        changes += [("删除", obj) for obj in formset.deleted_objects]
        for verb, obj in changes:
            audit_record(
                kind=AuditLog.Kind.CONFIG_CHANGE,
                actor=request.user,
                obj=obj if verb != "删除" else None,
                summary=f"{verb} {obj._meta.verbose_name}：{obj}",
                data={"values": {k: str(v) for k, v in model_to_dict(obj).items()}},
                ip_address=client_ip(request),
            )


@admin.register(CategoryRoute)
class CategoryRouteAdmin(AuditedModelAdmin):
    list_display = ["category", "division", "unit"]
    search_fields = ["category__name", "division__name", "unit__name"]
    autocomplete_fields = ["category", "division", "unit"]


@admin.register(TimeLimitRule)
class TimeLimitRuleAdmin(AuditedModelAdmin):
    list_display = ["category", "urgency", "amount", "unit"]
    list_filter = ["urgency", "unit"]
    autocomplete_fields = ["category"]


class AppealEventInline(ReadOnlyInline):
    model = AppealEvent
    fields = ("created_at", "action", "from_status", "to_status", "actor", "actor_unit", "note")
    readonly_fields = fields
    ordering = ["created_at", "pk"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyModelAdmin):
    """Read-only: orders are changed only through the services (pages, API, the action below)."""

    list_display = ["number", "title", "status", "channel", "appeal_type", "lead_unit", "due_at", "is_overdue"]
    list_filter = ["status", "channel", "appeal_type", "urgency", "is_overdue", "supervise_level"]
    search_fields = ["number"]
    date_hierarchy = "submitted_at"
    list_select_related = ["lead_unit"]
    exclude = ["requester_phone", "requester_id_number"]  # personal data is revealed only through a logged service
    inlines = [AppealEventInline]
    actions = ["sweep_overdue"]
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Appeal._meta.fields if f.name not in self.exclude]

    @admin.action(description=_("立即巡检超期"), permissions=["view"])
    def sweep_overdue(self, request: HttpRequest, queryset: QuerySet[Appeal]) -> None:
        # The sweep looks at every open order, not only the selected ones: it is the periodic job run now.
        marked = services.appeals_sweep_overdue()
        self.message_user(request, _("超期巡检完成：标记或升级督办 %(n)d 件。") % {"n": marked}, messages.SUCCESS)

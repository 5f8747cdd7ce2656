"""Admin: applications and their history are read-only here (every write goes through the services);
projects are plain records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    AssistedService,
    CorrectionNotice,
    Project,
    ProxyAuthorisation,
    ReviewTask,
    SpecialProcedure,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MaterialInline(ReadOnlyInline):
    model = ApplicationMaterial
    fields = ["name", "status", "licence_identifier", "promised_by"]


class TaskInline(ReadOnlyInline):
    model = ReviewTask
    fields = ["stage", "name", "unit", "status", "due_at", "decided_at", "opinion"]


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ["number", "title", "unit", "status", "applicant_name", "received_at", "due_at", "is_overdue"]
    list_filter = ["status", "channel", "is_overdue"]
    search_fields = ["number", "title", "applicant_name"]
    inlines = [MaterialInline, TaskInline, EventInline]


@admin.register(CorrectionNotice)
class CorrectionNoticeAdmin(ReadOnly):
    list_display = ["application", "notified_at", "in_time", "resubmitted_at"]


@admin.register(SpecialProcedure)
class SpecialProcedureAdmin(ReadOnly):
    list_display = ["application", "kind", "started_at", "ended_at", "workdays"]


@admin.register(ProxyAuthorisation)
class ProxyAuthorisationAdmin(ReadOnly):
    list_display = ["principal_name", "agent", "scope", "valid_until", "revoked_at"]


@admin.register(AssistedService)
class AssistedServiceAdmin(ReadOnly):
    list_display = ["served_on", "kind", "person_name", "staff"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "enterprise_name", "butler"]
    search_fields = ["name", "code", "enterprise_name"]

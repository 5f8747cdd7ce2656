"""Admin: applications and their history are read-only here (every write goes through the services);
projects are plain records."""

from __future__ import annotations

from django.contrib import admin

from huying.core.admin import ReadOnlyInline, ReadOnlyModelAdmin

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
class ApplicationAdmin(ReadOnlyModelAdmin):
    list_display = ["number", "title", "unit", "status", "applicant_name", "received_at", "due_at", "is_overdue"]
    list_filter = ["status", "channel", "is_overdue"]
    search_fields = ["number", "title", "applicant_name"]
    inlines = [MaterialInline, TaskInline, EventInline]


@admin.register(CorrectionNotice)
class CorrectionNoticeAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "notified_at", "in_time", "resubmitted_at"]


@admin.register(SpecialProcedure)
class SpecialProcedureAdmin(ReadOnlyModelAdmin):
    list_display = ["application", "kind", "started_at", "ended_at", "workdays"]


@admin.register(ProxyAuthorisation)
class ProxyAuthorisationAdmin(ReadOnlyModelAdmin):
    list_display = ["principal_name", "agent", "scope", "valid_until", "revoked_at"]


@admin.register(AssistedService)
class AssistedServiceAdmin(ReadOnlyModelAdmin):
    list_display = ["served_on", "kind", "person_name", "staff"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "enterprise_name", "butler"]
    search_fields = ["name", "code", "enterprise_name"]

"""Ratings are records of what people said: the admin shows them and never edits them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CaseEvent, Complaint, Rating, RectificationCase


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["kind", "ref", "title", "level", "channel", "unit", "is_real_name", "excluded", "created_at"]
    list_filter = ["kind", "level", "channel", "excluded", "is_real_name"]
    search_fields = ["ref", "title"]
    exclude = ["rater_phone"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]


@admin.register(RectificationCase)
class RectificationCaseAdmin(ReadOnlyAdmin):
    list_display = ["pk", "rating", "unit", "status", "due_at", "is_overdue"]
    list_filter = ["status", "is_overdue", "resolution"]
    inlines = [CaseEventInline]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["pk", "rating", "unit", "reason", "status", "filed_at", "reviewed_at"]
    list_filter = ["status", "reason"]

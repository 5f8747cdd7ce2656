"""Ratings are records of what people said: the admin shows them and never edits them."""

from __future__ import annotations

from django.contrib import admin

from huying.core.admin import ReadOnlyInline, ReadOnlyModelAdmin

from .models import CaseEvent, Complaint, Rating, RectificationCase


@admin.register(Rating)
class RatingAdmin(ReadOnlyModelAdmin):
    list_display = ["kind", "ref", "title", "level", "channel", "unit", "is_real_name", "excluded", "created_at"]
    list_filter = ["kind", "level", "channel", "excluded", "is_real_name"]
    search_fields = ["ref", "title"]
    exclude = ["rater_phone"]


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]


@admin.register(RectificationCase)
class RectificationCaseAdmin(ReadOnlyModelAdmin):
    list_display = ["pk", "rating", "unit", "status", "due_at", "is_overdue"]
    list_filter = ["status", "is_overdue", "resolution"]
    inlines = [CaseEventInline]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyModelAdmin):
    list_display = ["pk", "rating", "unit", "reason", "status", "filed_at", "reviewed_at"]
    list_filter = ["status", "reason"]

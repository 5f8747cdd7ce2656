"""Admin: halls and windows are configuration; tickets are read-only here (writes go through the services)."""

from __future__ import annotations

from django.contrib import admin

from huying.core.admin import ReadOnlyModelAdmin

from .models import Hall, Ticket, Window


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0
    fields = ["number", "label", "kind", "prefix", "units", "is_open"]
    filter_horizontal = ["units"]


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "is_active"]
    inlines = [WindowInline]
    autocomplete_fields = ["unit"]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyModelAdmin):
    list_display = ["number", "hall", "day", "status", "channel", "window", "taken_at", "called_at", "finished_at"]
    list_filter = ["hall", "status", "channel", "day"]
    search_fields = ["number", "public_id"]
    date_hierarchy = "taken_at"

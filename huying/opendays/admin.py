"""Open days in the admin: read-only (the services write them); no registrant's personal data is listed."""

from __future__ import annotations

from django.contrib import admin

from huying.core.admin import ReadOnlyModelAdmin

from .models import Draw, Event


@admin.register(Event)
class EventAdmin(ReadOnlyModelAdmin):
    list_display = ("title", "unit", "starts_at", "panel_size", "status")
    list_filter = ("status", "kind")


@admin.register(Draw)
class DrawAdmin(ReadOnlyModelAdmin):
    list_display = ("event", "sequence", "seats", "digest", "seed", "index", "drawn_at")
    exclude = ("panels", "chances")

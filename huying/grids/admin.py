"""Configuration in the admin: duty types and household tags are data a deployment edits."""

from __future__ import annotations

from django.contrib import admin

from .models import DutyType, Tag


@admin.register(DutyType)
class DutyTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "category", "name", "sort", "is_active")
    list_filter = ("category", "is_active")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "visit_interval_days", "basis", "sort")

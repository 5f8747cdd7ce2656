"""Configuration in the admin: contact points and stations with their 信息员 roster, deputies and
members, mediation committees and the filing review's expert pool are data a congress office edits."""

from __future__ import annotations

from django.contrib import admin

from .models import Committee, ContactPoint, DeputyProfile, Expert, Informant


class InformantInline(admin.TabularInline):
    model = Informant
    extra = 1


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "is_legislative_point", "is_station", "reception_day_of_month")
    list_filter = ("is_legislative_point", "is_station")
    inlines = [InformantInline]


@admin.register(DeputyProfile)
class DeputyProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "level", "station")
    list_filter = ("kind",)
    raw_id_fields = ("user",)


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "registration", "venue")


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("name", "fields", "body", "term_start", "term_end", "dismissed_reason")
    filter_horizontal = ("declared_conflicts",)

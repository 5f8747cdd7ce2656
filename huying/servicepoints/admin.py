from django.contrib import admin

from huying.core.admin import ReadOnlyModelAdmin

from .models import ProxyCase, ServicePoint


@admin.register(ServicePoint)
class ServicePointAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "name", "kind", "level", "is_active")
    list_filter = ("kind", "level", "is_active")
    search_fields = ("code", "name", "address")


@admin.register(ProxyCase)
class ProxyCaseAdmin(ReadOnlyModelAdmin):
    list_display = ("number", "point", "status", "filed_at")
    list_filter = ("status",)

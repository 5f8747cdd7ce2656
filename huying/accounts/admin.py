from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from huying.core.admin import AuditedModelAdmin

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["org_unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    fieldsets = (*BaseUserAdmin.fieldsets, ("huying", {"fields": ("display_name", "phone")}))  # type: ignore[misc]
    list_display = ["username", "display_name", "is_staff", "is_active"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    list_display = ["user", "role", "org_unit"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "org_unit"]

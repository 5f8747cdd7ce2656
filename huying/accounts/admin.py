from __future__ import annotations

from typing import cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huying.core.admin import AuditedModelAdmin, ReadOnlyModelAdmin

from .forms import AdminLoginForm
from .models import ApiToken, LoginFailure, RoleAssignment, User
from .services import login_unlock
from .tokens import token_revoke

# /admin/login/ signs in through the same throttle and audit trail as every other login path.
admin.site.login_form = AdminLoginForm


def _may_unlock(request: HttpRequest) -> bool:
    return bool(request.user.is_superuser or request.user.has_perm("accounts.delete_loginfailure"))


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["org_unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    fieldsets = (*BaseUserAdmin.fieldsets, ("huying", {"fields": ("display_name", "phone")}))  # type: ignore[misc]
    list_display = ["username", "display_name", "is_staff", "is_active"]
    actions = ["unlock_logins"]

    def has_unlock_permission(self, request: HttpRequest) -> bool:
        return _may_unlock(request)

    @admin.action(description=gettext_lazy("解除所选用户的登录锁定（所有地址）"), permissions=["unlock"])
    def unlock_logins(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = cast(User, request.user)
        forgotten = sum(login_unlock(username=u.username, actor=actor) for u in queryset)
        self.message_user(request, _("已解除登录锁定，清除失败记录 %(n)d 条。") % {"n": forgotten}, messages.SUCCESS)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    list_display = ["user", "role", "org_unit"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "org_unit"]


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyModelAdmin):
    list_display = ["created_at", "username", "ip_address"]
    search_fields = ["username", "ip_address"]
    actions = ["unlock"]

    def has_unlock_permission(self, request: HttpRequest) -> bool:
        return _may_unlock(request)

    @admin.action(description=gettext_lazy("解除所选记录的用户名在该地址的登录锁定"), permissions=["unlock"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[LoginFailure]) -> None:
        pairs = set(queryset.values_list("username", "ip_address"))
        actor = cast(User, request.user)
        forgotten = sum(login_unlock(username=name, ip_address=ip, actor=actor) for name, ip in pairs)
        self.message_user(request, _("已解除登录锁定，清除失败记录 %(n)d 条。") % {"n": forgotten}, messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "user__username"]
    raw_id_fields = ["user", "revoked_by"]
    actions = ["revoke"]

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or request.user.has_perm("accounts.change_apitoken"))

    @admin.action(description=gettext_lazy("吊销所选接口令牌"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = cast(User, request.user)
        for token in queryset:
            token_revoke(token_id=token.pk, actor=actor, own=False)
        self.message_user(request, _("已吊销 %(n)d 个接口令牌。") % {"n": len(queryset)}, messages.SUCCESS)

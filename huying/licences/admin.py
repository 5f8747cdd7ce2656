"""Admin: types are configuration; licences, keys, uses and authorisations are read-only here
(licences change only through the services, private keys never reach the database)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from huying.core.admin import ReadOnlyModelAdmin

from .models import Authorisation, Licence, LicenceType, LicenceUse, SigningKey


@admin.register(LicenceType)
class LicenceTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "holder_kind", "definer", "valid_years", "active"]
    list_filter = ["holder_kind", "active"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return ["code"] if obj is not None else []  # type codes are a shared contract: never changed


@admin.register(Licence)
class LicenceAdmin(ReadOnlyModelAdmin):
    list_display = ["identifier", "type", "holder_name", "issuer_name", "valid_until", "status", "version"]
    list_filter = ["status", "type", "source"]
    search_fields = ["identifier", "number"]
    list_select_related = ["type"]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyModelAdmin):
    list_display = ["kid", "created_at", "retired_at"]


@admin.register(LicenceUse)
class LicenceUseAdmin(ReadOnlyModelAdmin):
    list_display = ["created_at", "licence", "verifier", "unit", "purpose", "via", "application_ref"]
    list_filter = ["via"]
    list_select_related = ["licence__type", "verifier", "unit"]


@admin.register(Authorisation)
class AuthorisationAdmin(ReadOnlyModelAdmin):
    list_display = ["licence", "grantee", "purpose", "valid_until", "revoked_at"]
    list_select_related = ["licence__type", "grantee"]

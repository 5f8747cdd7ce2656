"""The admin site's login form, signing in through the shared throttle (services.login_check)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm

from huying.core.errors import HuyingError

from .services import login_check


class AdminLoginForm(AdminAuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = login_check(request=self.request, username=username, password=password)
            except HuyingError as exc:
                raise forms.ValidationError(str(exc.message), code=exc.code) from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

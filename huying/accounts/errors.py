"""Error codes of sign-in and accounts (besides core's generic ones)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("accounts")
INVALID_CREDENTIALS = codes.add("invalid_credentials", _("用户名或密码不正确。"))

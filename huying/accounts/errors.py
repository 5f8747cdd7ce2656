"""Error codes of sign-in and accounts (besides core's generic ones)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("accounts")
INVALID_CREDENTIALS = codes.add("invalid_credentials", _("用户名或密码不正确。"))
LOGIN_LOCKED = codes.add(
    "login_locked", _("该用户名在本地址登录失败次数过多，已暂时锁定；等待锁定期满或请系统管理员解锁。")
)
ADDRESS_LOCKED = codes.add("address_locked", _("本地址登录失败次数过多，已暂时锁定；等待锁定期满或请系统管理员解锁。"))
TOKEN_EXPIRED = codes.add("api_token_expired", _("接口令牌已过期，请重新获取。"))
TOKEN_REVOKED = codes.add("api_token_revoked", _("接口令牌已被吊销，请重新获取。"))

"""The error codes the 12345 appeal loop answers with (besides core's generic ones)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("appeals")

UNKNOWN_ACTION = codes.add("unknown_action", _("操作名称不在工单的状态表中。"))
INVALID_CODE = codes.add("invalid_code", _("工单号或查询验证码不正确，或验证码已过期、已用过。"))

"""The error codes the 12345 appeal loop answers with (besides core's generic ones)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("appeals")

UNKNOWN_ACTION = codes.add("unknown_action", _("操作名称不在工单的状态表中。"))
INVALID_CODE = codes.add("invalid_code", _("工单号或查询验证码不正确，或验证码已过期、已用过。"))
PHOTO_REQUIRED = codes.add("photo_required", _("自行处置和现场核查通过须上传处置后的现场照片。"))
VERIFIER_IS_HANDLER = codes.add("verifier_is_handler", _("现场核查须由答复人以外的网格员进行。"))
IDEMPOTENCY_KEY_REUSED = codes.add("idempotency_key_reused", _("同一提交编号已用于内容不同的另一次提交。"))
IDEMPOTENCY_KEY_INVALID = codes.add("idempotency_key_invalid", _("提交编号应为手机生成的 UUID。"))

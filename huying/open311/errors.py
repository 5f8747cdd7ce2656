"""The error codes Open311 answers with (besides core's validation_failed, not_found, forbidden)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("open311")
API_KEY_INVALID = codes.add("api_key_invalid", _("api_key 无效或已停用：请向市热线中心申请接入密钥。"))
UNKNOWN_SERVICE = codes.add("unknown_service", _("service_code 不在派单目录中，或已停用。"))
BAD_LOCATION = codes.add("bad_location", _("位置无效：请提供 lat 与 long（有效的经纬度），或 address_string。"))

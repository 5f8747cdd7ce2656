"""The error codes of the service-point register, the map and village proxy (besides core's)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("servicepoints")
OUTSIDE_AREA = codes.add("outside_area", _("该位置不在本平台服务区域内。"))
ITEM_NOT_HANDLED = codes.add("item_not_handled", _("该服务点不办理此事项。"))
UNKNOWN_ITEM = codes.add("unknown_item", _("事项编码不存在或已停用。"))
PROXY_NOT_AUTHORISED = codes.add("proxy_not_authorised", _("代办须先登记居民的授权委托。"))
IDENTITY_NOT_CHECKED = codes.add("identity_not_checked", _("代办须先核验居民身份。"))
ADDRESS_NOT_FOUND = codes.add("address_not_found", _("未能识别该地址，请输入村（社区）或街道名称。"))
RESULT_NOT_READY = codes.add("result_not_ready", _("窗口尚未出件，结果不能送回服务站。"))
INVALID_CODE = codes.add("invalid_tracking_code", _("代办编号或验证码不正确，或验证码已过期。"))

"""The error codes of the elderly canteens (besides core's)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("canteens")
NOT_ENROLLED = codes.add("not_enrolled", _("未找到该助餐卡或助餐码对应的登记老人。"))
NOT_ELIGIBLE = codes.add("not_eligible", _("该老人当日不在有效助餐资格内。"))
SLOT_TAKEN = codes.add("slot_taken", _("该老人本餐次已就餐。"))
DAILY_LIMIT = codes.add("daily_limit", _("该老人当日就餐次数已达上限。"))
SLOT_NOT_SERVED = codes.add("slot_not_served", _("本助餐点不提供该餐次。"))
NO_DELIVERY = codes.add("no_delivery", _("该老人未登记送餐上门服务。"))
NO_TIER = codes.add("no_tier", _("当日没有适用的助餐价格标准。"))
MONTH_LOCKED = codes.add("month_locked", _("该月结算单已确认，不能再登记或修改就餐记录。"))
SETTLEMENT_LOCKED = codes.add("settlement_locked", _("结算单已确认或审核，不能重新生成或修改。"))
RETENTION = codes.add("retention", _("进货查验记录未到法定保存期限，不能删除。"))
INVALID_LICENCE = codes.add("invalid_licence", _("食品经营许可证编号格式不正确。"))

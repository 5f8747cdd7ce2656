"""The error codes the points loop answers with (besides core's not_found, forbidden, validation_failed)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("points")
INSUFFICIENT_POINTS = codes.add("insufficient_points", _("可用积分不足。"))
UNBALANCED_POSTING = codes.add("unbalanced_posting", _("记账分录借贷不平衡。"))
ALREADY_REVERSED = codes.add("already_reversed", _("该笔记账已冲正，不能重复冲正。"))
OVER_CAP = codes.add("over_cap", _("超过积分事项的单次、每日或每月上限。"))
DUPLICATE_CLAIM = codes.add("duplicate_claim", _("同一地点、同一类别、同一天已有申报，不重复计分。"))
UNKNOWN_ITEM = codes.add("unknown_item", _("没有现行有效的积分事项与之对应。"))
RETROACTIVE_RULE = codes.add("retroactive_rule", _("积分事项的修改不能追溯到今天以前。"))
EXPIRY_TOO_SHORT = codes.add("expiry_too_short", _("实名积分的有效期不得短于三年（或不设有效期）。"))
PUBLICITY_OPEN = codes.add("publicity_open", _("公示期尚未结束，不能入账。"))
TOKEN_REF = codes.add("token_not_points", _("这不是积分兑换码。"))
WRONG_MERCHANT = codes.add("wrong_merchant", _("只能为本商户办理兑换。"))
OUT_OF_STOCK = codes.add("out_of_stock", _("兑换物品库存不足。"))
NOT_MERCHANT_STAFF = codes.add("not_merchant_staff", _("只有本商户登记的收银人员可以办理兑换。"))
KEYS_MISSING = codes.add("points_keys_missing", _("兑换码签名密钥未配置，请联系系统管理员。"))
EMPTY_REDEMPTION = codes.add("empty_redemption", _("请输入兑换积分数或选择兑换物品。"))
CODE_TAKEN = codes.add("code_taken", _("该代码已被使用，请换一个。"))
CASHIER_ELSEWHERE = codes.add("cashier_elsewhere", _("该账号已是其他商户的收银人员。"))

"""The error codes smart dispatch answers with (besides core's generic ones)."""

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("dispatch")
NOT_ENOUGH_HISTORY = codes.add(
    "not_enough_history", _("已办结的历史工单不足以训练派单模型，继续使用派单目录关键词规则。")
)
KEY_PROBLEM_CLOSED = codes.add("key_problem_closed", _("重点问题已办结，不能再记录会商或答复。"))
ALREADY_IN_KEY_PROBLEM = codes.add("already_in_key_problem", _("所选工单已列入办理中的重点问题，不能重复列入。"))

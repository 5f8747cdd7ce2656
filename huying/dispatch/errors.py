"""Error codes of smart dispatch (besides core's generic ones)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("dispatch")
NOT_ENOUGH_HISTORY = codes.add(
    "not_enough_history", _("已办结的历史工单太少，不能训练分类模型；继续使用派单目录关键词规则。")
)
KEY_PROBLEM_CLOSED = codes.add("key_problem_closed", _("重点问题已办结，不能再安排联席会议。"))

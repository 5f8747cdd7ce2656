"""The error codes the 办件 loop answers with, beyond the platform's generic ones (huying.core.errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("applications")

UNKNOWN_ACTION = codes.add("unknown_action", _("操作名称不在办件的状态表中。"))
INVALID_ID_NUMBER = codes.add("invalid_id_number", _("身份证号码无效（位数、出生日期或校验码不符）。"))
PROXY_REQUIRED = codes.add("proxy_required", _("代为申请须先登记授权委托书。"))
MATERIALS_INCOMPLETE = codes.add(
    "materials_incomplete", _("材料不齐全：不能受理，或容缺受理时缺少的材料没有承诺补齐日期。")
)
ALREADY_EXTENDED = codes.add("already_extended", _("办理期限已延长过一次，依法不能再延长。"))
CLOCK_NOT_RUNNING = codes.add("clock_not_running", _("办件当前不在计时中（未受理或特别程序中），不能延长办理期限。"))
DEADLINE_PASSED = codes.add("deadline_passed", _("已超过承诺办结时间，不能再延长办理期限。"))
LICENCE_HOLDER_MISMATCH = codes.add(
    "licence_holder_mismatch", _("核验的电子证照的持证人不是办件的申请人（或申请表中的法定代表人、经办人）。")
)
MATERIALS_NOT_OPENED = codes.add(
    "materials_not_opened", _("还有材料电子件未查阅：请在审查页面逐项打开材料后再作出准予决定。")
)
OPINION_REQUIRED = codes.add("opinion_required", _("请填写审查意见：准予和不予许可都须写明审查意见。"))

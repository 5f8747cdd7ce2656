"""What people read for each status of the state tables."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from . import states

SUGGESTION = {
    states.SUBMITTED_S: _("已提交"),
    states.ASSIGNED: _("已交办"),
    states.OBJECTED: _("申请调整"),
    states.HANDLING: _("办理中"),
    states.REPLIED: _("已答复"),
    states.REHANDLING: _("不满意·重办"),
    states.FOLLOWING: _("跟踪落实"),
    states.CLOSED: _("已办结"),
    states.REJECTED: _("不予立案"),
}
MEDIATION = {
    states.REGISTERED: _("已登记"),
    states.REFUSED: _("不予调解"),
    states.MEDIATING: _("调解中"),
    states.AGREED: _("已达成协议（待签名盖章）"),
    states.EFFECTIVE: _("协议已生效"),
    states.ENDED: _("调解终止"),
    states.PERFORMED: _("已履行"),
}
FILING = {
    states.FILED: _("已报备"),
    states.IN_REVIEW: _("审查中"),
    states.NO_PROBLEM: _("未发现问题"),
    states.TO_CORRECT: _("待纠正"),
    states.CORRECTED: _("已纠正"),
    states.DONE: _("审查结束"),
}


def text(table: Mapping[str, object], status: str) -> str:
    return str(table.get(status, status))


SUGGESTION_ACTIONS = {
    "submit": _("提出"),
    "assign": _("交办"),
    "reject": _("不予立案"),
    "accept": _("签收"),
    "object": _("提出交办异议"),
    "reassign": _("改交"),
    "keep": _("维持交办"),
    "co_input": _("协办意见"),
    "extend": _("批准延期"),
    "reply": _("答复"),
    "feedback": _("满意"),
    "dissatisfied": _("不满意"),
    "follow": _("跟踪落实"),
    "delivered": _("已落实"),
}

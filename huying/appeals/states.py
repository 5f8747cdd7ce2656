"""Statuses, actions and the one TRANSITIONS table of a work order's life. Pure data, no DB.

Grounded in 北京市接诉即办工作条例 Arts. 10–15, 23 and 济南市12345市民服务热线条例 Arts. 22–28: 受理 → (直接答复 | 转其他渠道 | 不予受理 | 并单 | 派单) →
签收/退单 → 办理 (延期, 中止) → 答复 → 回访 → 办结 or 重办; 督办 on overdue orders.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.accounts.roles import CITIZEN, Role
from huying.core.statemachine import ClockEffect, Transition, TransitionTable


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    ANSWERED = "answered", _("直接答复办结")
    REFERRED = "referred", _("已转其他渠道")
    REFUSED = "refused", _("不予受理")
    MERGED = "merged", _("已并单")
    WITHDRAWN = "withdrawn", _("已撤回")
    DISPATCHED = "dispatched", _("已派单")
    RETURN_REQUESTED = "return_requested", _("退单审核中")
    HANDLING = "handling", _("办理中")
    EXTENSION_REQUESTED = "extension_requested", _("延期审核中")
    SUSPENDED = "suspended", _("已中止")
    REPLIED = "replied", _("已答复")
    VERIFYING = "verifying", _("待现场核查")
    UNSATISFIED = "unsatisfied", _("回访不满意")
    CLOSED = "closed", _("已办结")


class Action(models.TextChoices):
    ACCEPT = "accept", _("受理")
    ANSWER = "answer", _("直接答复")
    REFER = "refer", _("转其他渠道")
    REFUSE = "refuse", _("不予受理")
    MERGE = "merge", _("并入在办工单")
    WITHDRAW = "withdraw", _("撤回")
    DISPATCH = "dispatch", _("派单")
    SIGN = "sign", _("签收")
    REQUEST_RETURN = "request_return", _("申请退单")
    APPROVE_RETURN = "approve_return", _("同意退单并改派")
    REJECT_RETURN = "reject_return", _("驳回退单")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("同意延期")
    REJECT_EXTENSION = "reject_extension", _("驳回延期")
    SUSPEND = "suspend", _("中止办理")
    RESUME = "resume", _("恢复办理")
    REPLY = "reply", _("答复")
    FOLLOW_UP = "follow_up", _("回访")
    REOPEN = "reopen", _("退回重办")
    CLOSE = "close", _("办结")
    SUPERVISE = "supervise", _("督办")
    JOINT_REPLY = "joint_reply", _("重点问题统一答复")
    SELF_HANDLE = "self_handle", _("自行处置")
    VERIFY_PASS = "verify_pass", _("核查通过")
    VERIFY_FAIL = "verify_fail", _("核查未通过")


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("热线电话")
    WEB = "web", _("网站")
    MOBILE = "mobile", _("手机随手拍")
    GRID = "grid", _("网格员上报")
    REPRESENTATIVE = "representative", _("代表委员")
    OPEN_DAY = "open_day", _("政府开放日")
    VISIT = "visit", _("入户走访")
    OPEN311 = "open311", _("第三方应用（Open311）")


class AppealType(models.TextChoices):
    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")


class Urgency(models.TextChoices):
    GENERAL = "general", _("一般")
    URGENT = "urgent", _("紧急")
    EMERGENCY = "emergency", _("特急")


class ReferTarget(models.TextChoices):
    POLICE_110 = "110", _("110 报警")
    FIRE_119 = "119", _("119 火警")
    MEDICAL_120 = "120", _("120 急救")
    TRAFFIC_122 = "122", _("122 交通事故")
    COURT = "court", _("诉讼/仲裁渠道")
    PETITION = "petition", _("信访渠道")
    DISCIPLINE = "discipline", _("纪检监察")
    OTHER = "other", _("其他渠道")


class Resolution(models.TextChoices):
    RESOLVED = "resolved", _("已解决")
    PARTLY = "partly", _("部分解决")
    UNRESOLVED = "unresolved", _("未解决")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


OPEN_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.RETURN_REQUESTED,
        Status.HANDLING,
        Status.EXTENSION_REQUESTED,
        Status.SUSPENDED,
        Status.REPLIED,
        Status.VERIFYING,
        Status.UNSATISFIED,
    }
)
# An order a new call may be merged into (并单): still being handled, not yet answered; a caller merged
# into an answered order would only get the answer given before they called.
MERGE_TARGET_STATUSES = OPEN_STATUSES - {Status.REPLIED, Status.VERIFYING, Status.UNSATISFIED}
# Statuses in which the handling clock runs (the unit owes a reply).
CLOCK_STATUSES = frozenset({Status.DISPATCHED, Status.RETURN_REQUESTED, Status.HANDLING, Status.EXTENSION_REQUESTED})
FINAL_STATUSES = frozenset(s for s in Status if s not in OPEN_STATUSES)

_OP = Role.OPERATOR
_HANDLER = Role.HANDLER
_SUP = Role.SUPERVISOR
HOTLINE = frozenset({_OP, _SUP})

# Roles on one appeal that the grid layer grants (through core.registry.appeal_roles):
GRID_WORKER = "grid_worker"  # a grid worker of the grid the matter lies in
GRID_REPORTER = "grid_reporter"  # the grid worker who reported it (网格员上报)
GRID_ROLE_LABELS = {GRID_WORKER: _("本网格网格员"), GRID_REPORTER: _("上报事件的网格员")}
# Channels whose replies are verified on site (核查) before the order closes.
VERIFIED_CHANNELS = frozenset({Channel.GRID})
# Actions that need a photo (after the fix), stored as an attachment of the appeal.
PHOTO_ACTIONS = frozenset({Action.SELF_HANDLE, Action.VERIFY_PASS})
# Actions that someone other than the person who replied must take.
VERIFY_ACTIONS = frozenset({Action.VERIFY_PASS, Action.VERIFY_FAIL})


def _t(
    source: Status,
    action: Action,
    target: Status,
    roles: frozenset[str] | set[str],
    *,
    note: bool = False,
    clock: ClockEffect = ClockEffect.NONE,
) -> Transition:
    return Transition(source, action, target, frozenset(roles), needs_note=note, clock=clock)


TRANSITIONS = TransitionTable(
    [
        # Intake (受理) — hotline centre
        _t(Status.SUBMITTED, Action.ACCEPT, Status.ACCEPTED, HOTLINE),
        _t(Status.SUBMITTED, Action.ANSWER, Status.ANSWERED, HOTLINE, note=True),
        _t(Status.SUBMITTED, Action.REFER, Status.REFERRED, HOTLINE, note=True),
        _t(Status.SUBMITTED, Action.REFUSE, Status.REFUSED, HOTLINE, note=True),
        _t(Status.SUBMITTED, Action.MERGE, Status.MERGED, HOTLINE),
        _t(Status.SUBMITTED, Action.WITHDRAW, Status.WITHDRAWN, {CITIZEN, _OP}),
        _t(Status.ACCEPTED, Action.ANSWER, Status.ANSWERED, HOTLINE, note=True),
        _t(Status.ACCEPTED, Action.REFER, Status.REFERRED, HOTLINE, note=True),
        _t(Status.ACCEPTED, Action.REFUSE, Status.REFUSED, HOTLINE, note=True),
        _t(Status.ACCEPTED, Action.MERGE, Status.MERGED, HOTLINE),
        _t(Status.ACCEPTED, Action.WITHDRAW, Status.WITHDRAWN, {CITIZEN, _OP}),
        _t(Status.ACCEPTED, Action.DISPATCH, Status.DISPATCHED, HOTLINE, clock=ClockEffect.START),
        # The unit: sign for it (签收, 首接负责) or object to the dispatch (退单)
        _t(Status.DISPATCHED, Action.SIGN, Status.HANDLING, {_HANDLER}),
        _t(Status.DISPATCHED, Action.REQUEST_RETURN, Status.RETURN_REQUESTED, {_HANDLER}, note=True),
        # The hotline reviews the objection: re-dispatch elsewhere, or uphold the dispatch
        _t(
            Status.RETURN_REQUESTED,
            Action.APPROVE_RETURN,
            Status.DISPATCHED,
            HOTLINE,
            note=True,
            clock=ClockEffect.START,
        ),
        _t(Status.RETURN_REQUESTED, Action.REJECT_RETURN, Status.HANDLING, HOTLINE, note=True),
        # Handling
        _t(Status.HANDLING, Action.REQUEST_EXTENSION, Status.EXTENSION_REQUESTED, {_HANDLER}, note=True),
        _t(
            Status.EXTENSION_REQUESTED,
            Action.APPROVE_EXTENSION,
            Status.HANDLING,
            HOTLINE,
            note=True,
            clock=ClockEffect.EXTEND,
        ),
        _t(Status.EXTENSION_REQUESTED, Action.REJECT_EXTENSION, Status.HANDLING, HOTLINE, note=True),
        _t(Status.HANDLING, Action.SUSPEND, Status.SUSPENDED, {_HANDLER}, note=True, clock=ClockEffect.PAUSE),
        _t(Status.SUSPENDED, Action.RESUME, Status.HANDLING, {_HANDLER, _OP, _SUP}, clock=ClockEffect.RESUME),
        _t(Status.HANDLING, Action.REPLY, Status.REPLIED, {_HANDLER}, note=True, clock=ClockEffect.STOP),
        # Follow-up (回访) by the hotline or, online, by the citizen
        _t(Status.REPLIED, Action.FOLLOW_UP, Status.CLOSED, {_OP, _SUP, CITIZEN}),
        _t(Status.UNSATISFIED, Action.REOPEN, Status.HANDLING, HOTLINE, note=True, clock=ClockEffect.START),
        _t(Status.UNSATISFIED, Action.CLOSE, Status.CLOSED, {_SUP}, note=True),
        # The grid case loop (网格事件): the reporting grid worker fixes it on the spot (自行处置, an
        # after-photo), or the unit's reply on a grid report lands in VERIFYING (see the plan) for a
        # grid worker other than the replier to check on site (核查) before it closes.
        _t(Status.SUBMITTED, Action.SELF_HANDLE, Status.CLOSED, {GRID_REPORTER}, note=True),
        _t(Status.VERIFYING, Action.VERIFY_PASS, Status.CLOSED, {GRID_WORKER}),
        _t(Status.VERIFYING, Action.VERIFY_FAIL, Status.HANDLING, {GRID_WORKER}, note=True, clock=ClockEffect.START),
        _t(Status.VERIFYING, Action.SUPERVISE, Status.VERIFYING, {_SUP}, note=True),
        # Supervision (督办) leaves the status as it is and raises the level
        _t(Status.DISPATCHED, Action.SUPERVISE, Status.DISPATCHED, {_SUP}, note=True),
        _t(Status.HANDLING, Action.SUPERVISE, Status.HANDLING, {_SUP}, note=True),
        _t(Status.RETURN_REQUESTED, Action.SUPERVISE, Status.RETURN_REQUESTED, {_SUP}, note=True),
        _t(Status.EXTENSION_REQUESTED, Action.SUPERVISE, Status.EXTENSION_REQUESTED, {_SUP}, note=True),
        _t(Status.UNSATISFIED, Action.SUPERVISE, Status.UNSATISFIED, {_SUP}, note=True),
        # A key problem (重点问题) fixed once at its cause: one reply closes every linked open order.
        *(
            _t(source, Action.JOINT_REPLY, Status.CLOSED, {_SUP}, note=True, clock=ClockEffect.STOP)
            for source in sorted(OPEN_STATUSES - {Status.SUBMITTED})
        ),
    ]
)

# A follow-up that finds the matter unresolved or the citizen unsatisfied does not close the
# order: it lands in UNSATISFIED for the hotline to reopen (退回重办, Jinan Art. 27).
FOLLOW_UP_FAILED_TARGET = Status.UNSATISFIED


# History rows that are not actions of the state machine (labels shared by pages and API).
EVENT_LABELS = {
    "submit": _("提交诉求"),
    "repeat_linked": _("重复反映已并单"),
    "overdue": _("超期"),
    "escalate": _("超期督办升级"),
    "assist_report": _("协办意见"),
    "attachment_added": _("添加附件"),
    "categorised": _("确定分类"),
}


def event_label(action: str) -> str:
    if action in Action.values:
        return str(Action(action).label)
    return str(EVENT_LABELS.get(action, action))


def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value

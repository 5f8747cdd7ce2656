"""Statuses, actions and the one TRANSITIONS table of an application's (办件) life. Pure data, no DB.

Grounded in the primary texts (行政许可法 Arts. 32, 38, 42, 44, 45; 滨州市工程建设项目并联审批
管理规定 Arts. 10, 11, 19): 收件 → 补正 (the clock does not run before 受理) → 受理 | 容缺受理 |
不予受理 → 审查 (back-office review as data, 并联审批) ⇄ 特别程序 (clock stopped) → 准予 | 不予许可 →
统一出件 (within 10 working days, Art. 44) → 办结.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.accounts.roles import Role
from huying.core.statemachine import ClockEffect, Transition, TransitionTable

APPLICANT = "applicant"  # the applicant themself, or their recorded agent (帮办代办)
SYSTEM = "system"  # the periodic sweep (deemed acceptance, 容缺 expiry)


class Status(models.TextChoices):
    RECEIVED = "received", _("已收件")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    ACCEPTED = "accepted", _("已受理")
    ACCEPTED_WITH_PROMISE = "accepted_with_promise", _("容缺受理")
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")
    IN_REVIEW = "in_review", _("审查中")
    SPECIAL_PROCEDURE = "special_procedure", _("特别程序")
    APPROVED = "approved", _("准予许可")
    REFUSED = "refused", _("不予许可")
    ISSUED = "issued", _("已出件")
    CLOSED = "closed", _("已办结")


class Action(models.TextChoices):
    ACCEPT = "accept", _("受理")
    ACCEPT_WITH_PROMISE = "accept_with_promise", _("容缺受理")
    REQUEST_CORRECTION = "request_correction", _("一次性告知补正")
    RESUBMIT = "resubmit", _("补正材料")
    REJECT = "reject", _("不予受理")
    WITHDRAW = "withdraw", _("撤回申请")
    DEEM_ACCEPT = "deem_accept", _("逾期未告知补正，视为受理")
    START_REVIEW = "start_review", _("分送后台审批")
    START_SPECIAL = "start_special", _("启动特别程序")
    END_SPECIAL = "end_special", _("特别程序结束")
    EXTEND = "extend", _("延长办理期限")
    APPROVE = "approve", _("准予许可")
    REFUSE = "refuse", _("不予许可")
    PROMISE_EXPIRED = "promise_expired", _("容缺材料逾期未补齐，不予审批")
    ISSUE = "issue", _("统一出件")
    CLOSE = "close", _("办结")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ENTERPRISE = "enterprise", _("法人或其他组织")


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口")
    ONLINE = "online", _("网上申请")
    GRID = "grid", _("网格代办")
    VILLAGE = "village", _("村级全程代办")


class MaterialStatus(models.TextChoices):
    PROVIDED = "provided", _("已收纸质")
    UPLOADED = "uploaded", _("已上传电子件")
    E_LICENCE = "e_licence", _("电子证照免提交")
    MISSING = "missing", _("缺少或有误")
    PROMISED = "promised", _("容缺后补")


class IssueMethod(models.TextChoices):
    WINDOW = "window", _("窗口领取")
    POST = "post", _("邮寄送达")


class TaskStatus(models.TextChoices):
    WAITING = "waiting", _("待前序环节")
    ACTIVE = "active", _("审查中")
    APPROVED = "approved", _("同意")
    REFUSED = "refused", _("不同意")
    CANCELLED = "cancelled", _("已终止")


class SpecialKind(models.TextChoices):
    HEARING = "hearing", _("听证")
    TESTING = "testing", _("检验检测")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    PUBLICITY = "publicity", _("公示")
    TENDER = "tender", _("招投标")
    SITE_SURVEY = "site_survey", _("现场勘查")


class AssistKind(models.TextChoices):
    ACCOMPANY = "accompany", _("陪同办")
    HOME_VISIT = "home_visit", _("上门办")
    PROXY = "proxy", _("代办")
    GUIDANCE = "guidance", _("网办指导")
    PRIORITY = "priority", _("绿色通道优先办")
    REMOTE = "remote", _("远程帮办")


OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.CORRECTION_REQUESTED,
        Status.ACCEPTED,
        Status.ACCEPTED_WITH_PROMISE,
        Status.IN_REVIEW,
        Status.SPECIAL_PROCEDURE,
        Status.APPROVED,
        Status.REFUSED,
        Status.ISSUED,
    }
)
# Statuses in which the 承诺时限 runs against the agency (from 受理 to the decision).
CLOCK_STATUSES = frozenset({Status.ACCEPTED, Status.ACCEPTED_WITH_PROMISE, Status.IN_REVIEW})
DECIDED_STATUSES = frozenset({Status.APPROVED, Status.REFUSED, Status.ISSUED, Status.CLOSED})
FINAL_STATUSES = frozenset({Status.REJECTED, Status.WITHDRAWN, Status.CLOSED})

# 行政许可法 Art. 42: the most an approved extension adds, for one item and for 统一/联合/集中办理 (a bundle).
EXTENSION_WORKDAYS = 10
BUNDLE_EXTENSION_WORKDAYS = 15

_CLERK = Role.CLERK
_REVIEWER = Role.REVIEWER


def _t(
    source: Status,
    action: Action,
    target: Status,
    roles: set[str],
    *,
    note: bool = False,
    clock: ClockEffect = ClockEffect.NONE,
) -> Transition:
    return Transition(source, action, target, frozenset(roles), needs_note=note, clock=clock)


TRANSITIONS = TransitionTable(
    [
        # 一窗受理 (Art. 32): accept, 容缺受理, one complete correction notice, or 不予受理.
        _t(Status.RECEIVED, Action.ACCEPT, Status.ACCEPTED, {_CLERK}, clock=ClockEffect.START),
        _t(
            Status.RECEIVED,
            Action.ACCEPT_WITH_PROMISE,
            Status.ACCEPTED_WITH_PROMISE,
            {_CLERK},
            clock=ClockEffect.START,
        ),
        _t(Status.RECEIVED, Action.REQUEST_CORRECTION, Status.CORRECTION_REQUESTED, {_CLERK}),
        _t(Status.RECEIVED, Action.REJECT, Status.REJECTED, {_CLERK}, note=True),
        _t(Status.RECEIVED, Action.WITHDRAW, Status.WITHDRAWN, {APPLICANT, _CLERK}),
        # Art. 32(4) / Binzhou Art. 10: no notice within the limit → accepted from receipt.
        _t(Status.RECEIVED, Action.DEEM_ACCEPT, Status.ACCEPTED, {SYSTEM}, clock=ClockEffect.START),
        _t(Status.CORRECTION_REQUESTED, Action.RESUBMIT, Status.RECEIVED, {APPLICANT, _CLERK}),
        _t(Status.CORRECTION_REQUESTED, Action.WITHDRAW, Status.WITHDRAWN, {APPLICANT, _CLERK}),
        # 后台分类审批
        _t(Status.ACCEPTED, Action.START_REVIEW, Status.IN_REVIEW, {_CLERK, SYSTEM}),
        _t(Status.ACCEPTED, Action.WITHDRAW, Status.WITHDRAWN, {APPLICANT, _CLERK}),
        _t(Status.ACCEPTED_WITH_PROMISE, Action.START_REVIEW, Status.IN_REVIEW, {_CLERK, SYSTEM}),
        _t(Status.ACCEPTED_WITH_PROMISE, Action.WITHDRAW, Status.WITHDRAWN, {APPLICANT, _CLERK}),
        _t(
            Status.ACCEPTED_WITH_PROMISE,
            Action.PROMISE_EXPIRED,
            Status.REFUSED,
            {SYSTEM},
            clock=ClockEffect.STOP,
        ),
        _t(
            Status.IN_REVIEW,
            Action.START_SPECIAL,
            Status.SPECIAL_PROCEDURE,
            {_REVIEWER},
            note=True,
            clock=ClockEffect.PAUSE,
        ),
        _t(Status.SPECIAL_PROCEDURE, Action.END_SPECIAL, Status.IN_REVIEW, {_REVIEWER}, clock=ClockEffect.RESUME),
        # Art. 42: not decidable in time → once, with the agency head's approval and the reason told to the
        # applicant, the limit is extended (10 working days; 15 for a bundle handled jointly).
        _t(Status.IN_REVIEW, Action.EXTEND, Status.IN_REVIEW, {_REVIEWER}, note=True),
        # The decision (Art. 38) follows from the review tasks: the last approval, or any refusal.
        _t(Status.IN_REVIEW, Action.APPROVE, Status.APPROVED, {_REVIEWER}, clock=ClockEffect.STOP),
        _t(Status.IN_REVIEW, Action.REFUSE, Status.REFUSED, {_REVIEWER}, note=True, clock=ClockEffect.STOP),
        _t(Status.IN_REVIEW, Action.PROMISE_EXPIRED, Status.REFUSED, {SYSTEM}, clock=ClockEffect.STOP),
        _t(Status.IN_REVIEW, Action.WITHDRAW, Status.WITHDRAWN, {APPLICANT, _CLERK}),
        # 统一出件 (Art. 44) and 办结
        _t(Status.APPROVED, Action.ISSUE, Status.ISSUED, {_CLERK}),
        _t(Status.REFUSED, Action.ISSUE, Status.ISSUED, {_CLERK}),
        _t(Status.ISSUED, Action.CLOSE, Status.CLOSED, {_CLERK, APPLICANT}),
    ]
)

REMEDY_TEXT = _(
    "申请人如对本决定不服，可以自收到本决定之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
)

EVENT_LABELS = {
    "receive": _("收件"),
    "materials_updated": _("材料清单更新"),
    "material_uploaded": _("上传材料电子件"),
    "material_e_licence": _("电子证照核验，材料免提交"),
    "task_opened": _("审批环节开始"),
    "task_approved": _("审批环节同意"),
    "task_refused": _("审批环节不同意"),
    "licence_issued": _("签发电子证照"),
    "licence_issue_failed": _("电子证照签发失败"),
    "overdue": _("超过承诺时限"),
}


def event_label(action: str) -> str:
    if action in Action.values:
        return str(Action(action).label)
    return str(EVENT_LABELS.get(action, action))


def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value

"""Grades, channels and the rectification table of a bad rating (差评). Pure data, no DB.

Grounded in the primary texts (国办发〔2019〕51号, 鲁政办发〔2020〕10号, 德州方案):
核实 → 整改 (立行立改 | 说明理由、建立台账、限期整改 | 解释说明) → 反馈 → 回访 → 办结;
申诉复核 removes a mistaken or malicious bad rating.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.accounts.roles import Role
from huying.core.statemachine import Transition, TransitionTable


class Level(models.IntegerChoices):
    VERY_UNSATISFIED = 1, _("非常不满意")
    UNSATISFIED = 2, _("不满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    SATISFIED = 4, _("满意")
    VERY_SATISFIED = 5, _("非常满意")


BAD_LEVELS = frozenset({Level.VERY_UNSATISFIED, Level.UNSATISFIED})  # 差评
SATISFIED_LEVELS = frozenset({Level.BASICALLY_SATISFIED, Level.SATISFIED, Level.VERY_SATISFIED})  # 满意率
GOOD_LEVELS = frozenset({Level.SATISFIED, Level.VERY_SATISFIED})  # 好评率


class Channel(models.TextChoices):
    DEVICE = "device", _("窗口评价器")
    KIOSK = "kiosk", _("自助终端")
    WEB = "web", _("政务服务网")
    APP = "app", _("政务服务APP/小程序")
    SMS = "sms", _("短信")
    HOTLINE = "hotline", _("12345热线")
    QRCODE = "qrcode", _("二维码")


class Source(models.TextChoices):
    """Who put the rating in: the served person themselves (on the hall's rating device, by the SMS
    link, online with their account) or staff typing in what the person said or wrote."""

    DEVICE = "device", _("现场评价器")
    SMS = "sms", _("短信")
    ONLINE = "online", _("网上")
    STAFF = "staff", _("窗口代录")
    HOTLINE = "hotline", _("12345回访代录")


# Entered by staff on the person's behalf: labelled so, never 实名, never for the staff's own act.
STAFF_SOURCES = frozenset({Source.STAFF, Source.HOTLINE})


# 现场服务"一次一评" (offline) and 网上服务"一事一评" (online); an SMS link opens the online form.
OFFLINE_CHANNELS = frozenset({Channel.DEVICE, Channel.KIOSK, Channel.HOTLINE})
ONLINE_CHANNELS = frozenset({Channel.WEB, Channel.APP, Channel.SMS, Channel.QRCODE})
# Channels where staff enter the rating for the person in front of them (or on the phone), by role.
STAFF_CHANNEL_ROLES: dict[str, frozenset[str]] = {
    Channel.DEVICE: frozenset({Role.CLERK, Role.HALL_MANAGER}),
    Channel.KIOSK: frozenset({Role.CLERK, Role.HALL_MANAGER}),
    Channel.HOTLINE: frozenset({Role.OPERATOR}),
}
STAFF_ENTRY_ROLES = frozenset({Role.CLERK, Role.OPERATOR, Role.HALL_MANAGER})

# Second-level items of the national scheme (整体满意度 is the level itself).
OFFLINE_DIMENSIONS: dict[str, Any] = {
    "service_efficiency": _("服务效率"),
    "service_competence": _("服务水平"),
    "service_attitude": _("服务态度"),
}
ONLINE_DIMENSIONS: dict[str, Any] = {
    "efficiency": _("办事效率"),
    "guide_accuracy": _("办事指南精确度"),
    "convenience": _("办事便捷度"),
    "usability": _("平台操作性"),
}


def dimensions_for(channel: str) -> dict[str, Any]:
    return dict(ONLINE_DIMENSIONS) if channel in ONLINE_CHANNELS else dict(OFFLINE_DIMENSIONS)


class Kind(models.TextChoices):
    """Kinds of rated acts the loops register (huying.core.registry.rating_acts)."""

    APPLICATION = "application", _("办件")
    WINDOW_VISIT = "window_visit", _("窗口服务")
    APPEAL = "appeal", _("12345工单")


def kind_label(kind: str) -> str:
    return str(Kind(kind).label) if kind in Kind.values else kind


class CaseStatus(models.TextChoices):
    OPEN = "open", _("待核实")
    VERIFIED = "verified", _("已核实")
    RECTIFIED = "rectified", _("已整改")
    EXPLAINED = "explained", _("已说明/限期整改")
    ANSWERED = "answered", _("已反馈")
    REVISITED = "revisited", _("已回访")
    CLOSED = "closed", _("已办结")


class CaseAction(models.TextChoices):
    VERIFY = "verify", _("核实")
    RECTIFY = "rectify", _("立行立改")
    EXPLAIN = "explain", _("说明理由/限期整改")
    ANSWER = "answer", _("反馈评价人")
    REVISIT = "revisit", _("回访")
    REDO = "redo", _("退回重新整改")
    CLOSE = "close", _("办结")
    UPHOLD_COMPLAINT = "uphold_complaint", _("申诉成立，撤销差评")


class Resolution(models.TextChoices):
    """How the unit dealt with the matter (整改方式)."""

    IMMEDIATE = "immediate", _("立行立改")
    SCHEDULED = "scheduled", _("限期整改")
    EXPLAINED = "explained", _("解释说明")


class RevisitView(models.TextChoices):
    """The rater's view at the 回访."""

    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("联系不上")


class ComplaintStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("申诉不成立")


class ComplaintReason(models.TextChoices):
    MALICIOUS = "malicious", _("恶意差评")
    MISTAKEN = "mistaken", _("误评（评价对象错误或误操作）")
    UNRELATED = "unrelated", _("评价内容与所办事项无关")


# Before the answer the unit owes something and the clock runs (德州: 5 working days to 整改反馈).
OWING_STATUSES = frozenset({CaseStatus.OPEN, CaseStatus.VERIFIED, CaseStatus.RECTIFIED, CaseStatus.EXPLAINED})
ANSWERED_STATUSES = frozenset({CaseStatus.ANSWERED, CaseStatus.REVISITED, CaseStatus.CLOSED})  # 差评整改率
REVISITED_STATUSES = frozenset({CaseStatus.REVISITED, CaseStatus.CLOSED})  # 实名差评回访率

# Pseudo-role: staff of the rated unit (any hall or department role scoped to it or above it).
UNIT_STAFF = "unit_staff"
UNIT_STAFF_ROLES = frozenset({Role.HANDLER, Role.CLERK, Role.REVIEWER, Role.HALL_MANAGER})
_SUP = Role.SUPERVISOR
_UNIT = frozenset({UNIT_STAFF})
_UNIT_OR_SUP = frozenset({UNIT_STAFF, _SUP})


def _t(source: str, action: str, target: str, roles: frozenset[str], *, note: bool = True) -> Transition:
    return Transition(source, action, target, roles, needs_note=note)


TRANSITIONS = TransitionTable(
    [
        # 核实: the unit calls the rater back and finds out what happened.
        _t(CaseStatus.OPEN, CaseAction.VERIFY, CaseStatus.VERIFIED, _UNIT),
        # 整改: fixed at once, or reasons given (限期整改 with a ledger entry, or 解释说明).
        _t(CaseStatus.VERIFIED, CaseAction.RECTIFY, CaseStatus.RECTIFIED, _UNIT),
        _t(CaseStatus.VERIFIED, CaseAction.EXPLAIN, CaseStatus.EXPLAINED, _UNIT),
        # 反馈: the result goes to the rater by SMS.
        _t(CaseStatus.RECTIFIED, CaseAction.ANSWER, CaseStatus.ANSWERED, _UNIT),
        _t(CaseStatus.EXPLAINED, CaseAction.ANSWER, CaseStatus.ANSWERED, _UNIT),
        # 回访: the rater's view is recorded (the unit or the supervising office calls).
        _t(CaseStatus.ANSWERED, CaseAction.REVISIT, CaseStatus.REVISITED, _UNIT_OR_SUP),
        _t(CaseStatus.REVISITED, CaseAction.CLOSE, CaseStatus.CLOSED, _UNIT_OR_SUP, note=False),
        # 回访仍不满意: back to rectification with a new deadline (only when the view was 不满意).
        _t(CaseStatus.REVISITED, CaseAction.REDO, CaseStatus.VERIFIED, _UNIT_OR_SUP),
        # 申诉复核: an upheld complaint ends the case wherever it stands (from the complaint review only).
        *(
            _t(source, CaseAction.UPHOLD_COMPLAINT, CaseStatus.CLOSED, frozenset({_SUP}))
            for source in (
                CaseStatus.OPEN,
                CaseStatus.VERIFIED,
                CaseStatus.RECTIFIED,
                CaseStatus.EXPLAINED,
                CaseStatus.ANSWERED,
                CaseStatus.REVISITED,
            )
        ),
    ]
)


class ComplaintDecision(models.TextChoices):
    UPHOLD = "uphold", _("申诉成立")
    REJECT = "reject", _("申诉不成立")


# 申诉复核: a supervisor of the rated unit decides a pending complaint once, with an opinion.
COMPLAINT_TRANSITIONS = TransitionTable(
    [
        _t(ComplaintStatus.PENDING, ComplaintDecision.UPHOLD, ComplaintStatus.UPHELD, frozenset({_SUP})),
        _t(ComplaintStatus.PENDING, ComplaintDecision.REJECT, ComplaintStatus.REJECTED, frozenset({_SUP})),
    ]
)

# Actions taken through their own form (the complaint review), never as a case-page button.
NOT_A_BUTTON = frozenset({CaseAction.UPHOLD_COMPLAINT})


def action_applies(action: str, *, revisit_view: str) -> bool:
    """Conditions beyond the table: 重新整改 only after a 回访 that found the rater 不满意."""
    return action != CaseAction.REDO or revisit_view == RevisitView.UNSATISFIED


def case_status_label(value: str) -> str:
    return str(CaseStatus(value).label) if value in CaseStatus.values else value


def case_action_label(value: str) -> str:
    if value in CaseAction.values:
        return str(CaseAction(value).label)
    return str(EVENT_LABELS.get(value, value))


EVENT_LABELS = {
    "opened": _("差评生成整改单"),
    "overdue": _("超过整改反馈期限"),
    "complaint_filed": _("提出申诉"),
    "complaint_rejected": _("申诉不成立，继续整改"),
    "complaint_upheld": _("申诉成立，差评已剔除"),
}

"""The state tables of self-governance: a topic (议题) from raising to carrying out, a meeting of one
body on it, a notice-board publication through the four steps of 山东省村务公开条例 Art. 11, and a
rectification opened by a low satisfaction rating. Pure data: no models, services or selectors."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.core.statemachine import Transition, TransitionTable

# Roles of these tables, derived from the actor's relation to the record (not account roles).
STAFF = "community_staff"  # staff of the village or community the record belongs to
SUPERVISOR = "supervisory_member"  # a current member of the unit's 村务监督委员会
SYSTEM = "system"  # the services themselves: a tally, a signature count, a re-rating


class TopicStatus(models.TextChoices):
    COLLECTING = "collecting", _("征集联名")
    RAISED = "raised", _("待立题")
    DELIBERATING = "deliberating", _("协商议事中")
    DECIDED = "decided", _("已决议")
    IN_PROGRESS = "in_progress", _("实施中")
    DONE = "done", _("已办结")
    DECLINED = "declined", _("未立题或未通过")


class TopicAction(models.TextChoices):
    ADMIT = "admit", _("联名达到人数")
    ACCEPT = "accept", _("立题")
    DECLINE = "decline", _("不予立题")
    DECIDE = "decide", _("形成决议")
    REJECT = "reject", _("表决未通过")
    START = "start", _("开始实施")
    COMPLETE = "complete", _("办结")


TS, TA = TopicStatus, TopicAction
TRANSITIONS = TransitionTable(
    [
        Transition(TS.COLLECTING, TA.ADMIT, TS.RAISED, frozenset({SYSTEM})),
        Transition(TS.RAISED, TA.ACCEPT, TS.DELIBERATING, frozenset({STAFF})),
        Transition(TS.RAISED, TA.DECLINE, TS.DECLINED, frozenset({STAFF}), needs_note=True),
        Transition(TS.DELIBERATING, TA.DECIDE, TS.DECIDED, frozenset({SYSTEM})),
        Transition(TS.DELIBERATING, TA.REJECT, TS.DECLINED, frozenset({SYSTEM})),
        Transition(TS.DECIDED, TA.START, TS.IN_PROGRESS, frozenset({STAFF})),
        Transition(TS.IN_PROGRESS, TA.COMPLETE, TS.DONE, frozenset({STAFF}), needs_note=True),
    ]
)


class MeetingStatus(models.TextChoices):
    NOTIFIED = "notified", _("已通知")
    IN_SESSION = "in_session", _("会议进行中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class MeetingAction(models.TextChoices):
    OPEN = "open", _("开会（核对到会人数）")
    CLOSE = "close", _("计票并结束")
    CANCEL = "cancel", _("取消")


MS, MA = MeetingStatus, MeetingAction
MEETING_TRANSITIONS = TransitionTable(
    [
        Transition(MS.NOTIFIED, MA.OPEN, MS.IN_SESSION, frozenset({STAFF})),
        Transition(MS.NOTIFIED, MA.CANCEL, MS.CANCELLED, frozenset({STAFF}), needs_note=True),
        Transition(MS.IN_SESSION, MA.CLOSE, MS.CLOSED, frozenset({STAFF})),
    ]
)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("两委拟订方案")
    IN_REVIEW = "in_review", _("监委会审核中")
    REVIEWED = "reviewed", _("监委会已审核")
    APPROVED = "approved", _("联席会议已审定")
    PUBLISHED = "published", _("已公开")
    ARCHIVED = "archived", _("已归档")


class PublicationAction(models.TextChoices):
    SUBMIT = "submit", _("提交监委会审核")
    PASS = "pass", _("审核通过")
    OBJECT = "object", _("提出异议退回")
    APPROVE = "approve", _("联席会议审定")
    PUBLISH = "publish", _("公开")
    REVISE = "revise", _("修订后重新公开")
    ARCHIVE = "archive", _("期满归档")


PS, PA = PublicationStatus, PublicationAction
PUBLICATION_TRANSITIONS = TransitionTable(
    [
        Transition(PS.DRAFT, PA.SUBMIT, PS.IN_REVIEW, frozenset({STAFF})),
        Transition(PS.IN_REVIEW, PA.PASS, PS.REVIEWED, frozenset({SUPERVISOR})),
        Transition(PS.IN_REVIEW, PA.OBJECT, PS.DRAFT, frozenset({SUPERVISOR}), needs_note=True),
        Transition(PS.REVIEWED, PA.APPROVE, PS.APPROVED, frozenset({STAFF})),
        Transition(PS.APPROVED, PA.PUBLISH, PS.PUBLISHED, frozenset({STAFF})),
        Transition(PS.PUBLISHED, PA.REVISE, PS.DRAFT, frozenset({STAFF}), needs_note=True),
        Transition(PS.PUBLISHED, PA.ARCHIVE, PS.ARCHIVED, frozenset({STAFF})),
    ]
)


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    REPORTED = "reported", _("已报整改，待再测评")
    CLOSED = "closed", _("再测评达标，已销号")


class RectificationAction(models.TextChoices):
    REPORT = "report", _("报告整改情况")
    PASS = "pass", _("再测评达标")
    FAIL = "fail", _("再测评未达标")


RS, RA = RectificationStatus, RectificationAction
RECTIFICATION_TRANSITIONS = TransitionTable(
    [
        Transition(RS.OPEN, RA.REPORT, RS.REPORTED, frozenset({STAFF}), needs_note=True),
        Transition(RS.REPORTED, RA.PASS, RS.CLOSED, frozenset({SYSTEM})),
        Transition(RS.REPORTED, RA.FAIL, RS.OPEN, frozenset({SYSTEM})),
    ]
)

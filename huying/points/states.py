"""The statuses and actions of a points claim (积分申报) and its one TRANSITIONS table. Pure data, no DB.

已申报 → 审核中 → 已认定 / 不予认定（说明理由）→ 公示中（异议期）→ 已入账; an objection during 公示
sends the claim back to 审核中; a credited claim found wrong is corrected by a reversing posting (已冲正).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.accounts.roles import CITIZEN, Role
from huying.core.statemachine import Transition, TransitionTable


class ClaimStatus(models.TextChoices):
    DECLARED = "declared", _("已申报")
    REVIEWING = "reviewing", _("审核中")
    RECOGNISED = "recognised", _("已认定")
    REJECTED = "rejected", _("不予认定")
    PUBLICISED = "publicised", _("公示中")
    CREDITED = "credited", _("已入账")
    REVERSED = "reversed", _("已冲正")


class ClaimAction(models.TextChoices):
    REVIEW = "review", _("开始审核")
    RECOGNISE = "recognise", _("认定")
    REJECT = "reject", _("不予认定")
    PUBLICISE = "publicise", _("公示")
    OBJECT = "object", _("提出异议")
    CREDIT = "credit", _("入账")
    REVERSE = "reverse", _("冲正")


REVIEWER = Role.POINTS_REVIEWER
SYSTEM = "system"  # the periodic sweep: credits claims whose objection window has closed
# Statuses whose points count against the caps (claimed and not refused).
COUNTED = frozenset({ClaimStatus.RECOGNISED, ClaimStatus.PUBLICISED, ClaimStatus.CREDITED})
OPEN = frozenset({ClaimStatus.DECLARED, ClaimStatus.REVIEWING, ClaimStatus.RECOGNISED, ClaimStatus.PUBLICISED})

S, A = ClaimStatus, ClaimAction
TRANSITIONS = TransitionTable(
    [
        Transition(S.DECLARED, A.REVIEW, S.REVIEWING, frozenset({REVIEWER})),
        Transition(S.DECLARED, A.REJECT, S.REJECTED, frozenset({REVIEWER}), needs_note=True),
        Transition(S.REVIEWING, A.RECOGNISE, S.RECOGNISED, frozenset({REVIEWER})),
        Transition(S.REVIEWING, A.REJECT, S.REJECTED, frozenset({REVIEWER}), needs_note=True),
        Transition(S.RECOGNISED, A.PUBLICISE, S.PUBLICISED, frozenset({REVIEWER})),
        Transition(S.PUBLICISED, A.OBJECT, S.REVIEWING, frozenset({CITIZEN, REVIEWER}), needs_note=True),
        Transition(S.PUBLICISED, A.CREDIT, S.CREDITED, frozenset({REVIEWER, SYSTEM})),
        Transition(S.CREDITED, A.REVERSE, S.REVERSED, frozenset({REVIEWER}), needs_note=True),
    ]
)

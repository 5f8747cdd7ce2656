"""Elderly canteens (助老食堂): who may eat at the subsidised price, how a meal is recorded, and the
monthly settlement's states (生成 → 运营方确认 → 民政审核 → 拨付). Pure data, no DB.

Grounded in 民政部等11部门《积极发展老年助餐服务行动方案》(民发〔2023〕58号) on the priority groups and
meal records, and 食品安全法 Arts. 50, 53 and 57 on purchase-inspection records.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from huying.core.statemachine import Transition, TransitionTable


class CanteenKind(models.TextChoices):
    CANTEEN = "canteen", _("老年食堂")
    TABLE = "table", _("老年餐桌")
    MEAL_POINT = "meal_point", _("助餐点")
    CENTRAL_KITCHEN = "central_kitchen", _("中央厨房")


class Category(models.TextChoices):
    """The plan's 特殊困难老年人 (民发〔2023〕58号), first in line."""

    TEKUN = "tekun", _("特困人员")
    DIBAO = "dibao", _("最低生活保障对象")
    DIBAO_EDGE = "dibao_edge", _("低保边缘家庭成员")
    ALONE = "alone", _("独居")
    EMPTY_NEST = "empty_nest", _("空巢")
    LEFT_BEHIND = "left_behind", _("留守")
    DISABLED_CARE = "disabled_care", _("失能")
    DISABILITY = "disability", _("残疾")
    OLDEST = "oldest", _("高龄（80周岁以上）")
    FAMILY_PLANNING = "family_planning", _("计划生育特殊家庭")


class CareLevel(models.TextChoices):
    MILD = "mild", _("轻度失能")
    MODERATE = "moderate", _("中度失能")
    SEVERE = "severe", _("重度失能")


class Source(models.TextChoices):
    EXCHANGE = "exchange", _("民政数据共享")
    PROOF = "proof", _("本人提供证明材料")


class ElderStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    ACTIVE = "active", _("有效")
    SUSPENDED = "suspended", _("暂停")
    CANCELLED = "cancelled", _("注销")


class ElderAction(models.TextChoices):
    APPROVE = "approve", _("审核通过")
    REJECT = "reject", _("不予通过")
    SUSPEND = "suspend", _("暂停")
    RESUME = "resume", _("恢复")
    CANCEL = "cancel", _("注销")


class Slot(models.TextChoices):
    BREAKFAST = "breakfast", _("早餐")
    LUNCH = "lunch", _("午餐")
    DINNER = "dinner", _("晚餐")


class Method(models.TextChoices):
    CARD = "card", _("刷卡")
    CODE = "code", _("助餐码")
    FACE = "face", _("刷脸")
    STAFF = "staff", _("工作人员代为登记")


class Mode(models.TextChoices):
    DINE_IN = "dine_in", _("堂食")
    DELIVERY = "delivery", _("送餐上门")


class SettlementStatus(models.TextChoices):
    GENERATED = "generated", _("已生成")
    CONFIRMED = "confirmed", _("运营方已确认")
    APPROVED = "approved", _("民政已审核")
    PAID = "paid", _("已拨付")


class SettlementAction(models.TextChoices):
    REGENERATE = "regenerate", _("重新生成")
    CONFIRM = "confirm", _("运营方确认")
    SEND_BACK = "send_back", _("退回运营方")
    APPROVE = "approve", _("民政审核通过")
    PAY = "pay", _("财政拨付")


STAFF = "canteen_staff"  # staff of the canteen (or its operator)
CIVIL = "civil_affairs"  # the civil-affairs bureau over the canteen's district

ELDER_TRANSITIONS = TransitionTable(
    [
        Transition(ElderStatus.APPLIED, ElderAction.APPROVE, ElderStatus.ACTIVE, frozenset({CIVIL})),
        Transition(ElderStatus.APPLIED, ElderAction.REJECT, ElderStatus.CANCELLED, frozenset({CIVIL}), needs_note=True),
        Transition(
            ElderStatus.ACTIVE, ElderAction.SUSPEND, ElderStatus.SUSPENDED, frozenset({CIVIL, STAFF}), needs_note=True
        ),
        Transition(ElderStatus.SUSPENDED, ElderAction.RESUME, ElderStatus.ACTIVE, frozenset({CIVIL})),
        Transition(ElderStatus.ACTIVE, ElderAction.CANCEL, ElderStatus.CANCELLED, frozenset({CIVIL}), needs_note=True),
        Transition(
            ElderStatus.SUSPENDED, ElderAction.CANCEL, ElderStatus.CANCELLED, frozenset({CIVIL}), needs_note=True
        ),
    ]
)

SETTLEMENT_TRANSITIONS = TransitionTable(
    [
        Transition(
            SettlementStatus.GENERATED,
            SettlementAction.REGENERATE,
            SettlementStatus.GENERATED,
            frozenset({STAFF, CIVIL}),
        ),
        Transition(
            SettlementStatus.GENERATED, SettlementAction.CONFIRM, SettlementStatus.CONFIRMED, frozenset({STAFF})
        ),
        Transition(
            SettlementStatus.CONFIRMED,
            SettlementAction.SEND_BACK,
            SettlementStatus.GENERATED,
            frozenset({CIVIL}),
            needs_note=True,
        ),
        Transition(SettlementStatus.CONFIRMED, SettlementAction.APPROVE, SettlementStatus.APPROVED, frozenset({CIVIL})),
        Transition(
            SettlementStatus.APPROVED, SettlementAction.PAY, SettlementStatus.PAID, frozenset({CIVIL}), needs_note=True
        ),
    ]
)
# A month whose statement is past these may take no more meals and no change.
LOCKED_SETTLEMENT = frozenset({SettlementStatus.CONFIRMED, SettlementStatus.APPROVED, SettlementStatus.PAID})

"""Demo points: 市中街道's two schemes (治理有章 citizen reports, 志愿服务 hours) with the resolutions that
approved their items, partner merchants (银座, 东方冷库) and the street's 积分超市 with an exchange day
tomorrow, a season of history for the demo citizen (credited, under 公示, declared, refused as a
duplicate, redeemed, refunded), and the cashier and reviewer accounts. Idempotent: a database that
already has schemes is left alone."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.accounts.selectors import actor_for
from huying.core.notify import sms_muted
from huying.core.registry import PointClaim
from huying.core.validators import uscc_check_char
from huying.organisations.models import OrgUnit
from huying.points.models import (
    ExchangeDay,
    ExchangeStock,
    Goods,
    Merchant,
    MerchantStaff,
    Resolution,
    Scheme,
    SchemeItem,
)
from huying.points.services import redeem
from huying.points.services.claims import claim_submit
from huying.points.services.periodic import trial_balance
from huying.points.services.review import claim_act
from huying.points.states import ClaimAction

from ..registry import DemoRun
from .appeals_structure import DEMO_PASSWORD, ensure_structure

CASHIER_USER = "shangjia"
REVIEWER_USER = "jifen"
MERCHANTS = [  # (name, 17 characters of the credit code, address, yuan per point)
    ("银座超市市中店", "91371600MA3C0YX01", "滨城区黄河五路366号", "1.00"),
    ("东方冷库生鲜超市", "91371600MA3C0DF02", "滨城区渤海七路18号", "1.00"),
    ("市中街道积分超市", "11371602MB1C00003", "市中街道便民服务中心一楼", "1.00"),
]
GOODS = [(0, "食用油5L", 60), (0, "面粉10kg", 45), (1, "冻饺子1kg", 20), (1, "鸡蛋30枚", 25)]


def _user(username: str, display: str, role: str, unit: OrgUnit, password: str) -> User:
    user = User.objects.filter(username=username).first() or User.objects.create(
        username=username, display_name=display, password=password
    )
    RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=unit)
    return user


def _schemes(street: OrgUnit, start: dt.date) -> None:
    reports = Scheme.objects.create(
        code="zhili-youzhang", name="治理有章群众参与积分", kind=Scheme.Kind.REPORTS, unit=street, publicity_days=3
    )
    res = Resolution.objects.create(
        scheme=reports,
        body="市中街道居民代表会议",
        number="市中居代〔2026〕2号",
        adopted_on=start,
        summary="通过《群众参与社会治理积分实施细则》：随手拍有效上报每件10分，每日上限30分，每月上限300分。",
    )
    SchemeItem.objects.create(
        scheme=reports,
        code="report_valid",
        name="随手拍、网上反映问题经核实有效",
        points=10,
        daily_cap=30,
        monthly_cap=300,
        dedup=SchemeItem.Dedup.PLACE_CATEGORY_DAY,
        resolution=res,
        valid_from=start,
    )
    volunteer = Scheme.objects.create(
        code="zhiyuan", name="志愿服务积分", kind=Scheme.Kind.VOLUNTEER, unit=street, expiry_months=36
    )
    res2 = Resolution.objects.create(
        scheme=volunteer, body="市中街道志愿服务联合会理事会", number="市中志联〔2026〕1号", adopted_on=start
    )
    SchemeItem.objects.create(
        scheme=volunteer,
        code="volunteer_hour",
        name="志愿服务时长",
        points=5,
        unit_label="小时",
        daily_cap=40,
        evidence_required=True,
        resolution=res2,
        valid_from=start,
    )


def _merchants(street: OrgUnit, cashier: User, today: dt.date) -> list[Merchant]:
    shops = [
        Merchant.objects.create(
            name=name, credit_code=body + uscc_check_char(body), unit=street, address=address, yuan_per_point=rate
        )
        for name, body, address, rate in MERCHANTS
    ]
    MerchantStaff.objects.create(merchant=shops[0], user=cashier)
    for index, name, points in GOODS:
        Goods.objects.create(merchant=shops[index], name=name, points=points)
    day = ExchangeDay.objects.create(
        title="市中街道群众参与社会治理积分兑换活动", unit=street, merchant=shops[2], day=today + dt.timedelta(days=1),
        place="市中街道便民服务中心广场",
    )  # fmt: skip
    for name, points, quantity in (("食用油5L", 60, 40), ("面粉10kg", 45, 60), ("洗衣液2kg", 30, 80)):
        ExchangeStock.objects.create(exchange_day=day, name=name, points=points, quantity=quantity, remaining=quantity)
    return shops


def _history(citizen: User, reviewer: User, cashier: User, now: dt.datetime) -> None:
    """The demo citizen's season: each claim walked through the services at the moment it happened."""
    places = ["黄河五路与渤海七路路口", "新立河东路120号", "渤海十八路小区北门", "长江二路公交站", "黄河八路人行道"]
    for n, place in enumerate(places):
        moment = now - dt.timedelta(days=40 - n * 7)
        found = claim_submit(
            PointClaim(source="appeal", ref=f"DEMO-{n + 1:03d}", user_id=citizen.pk, item="report_valid",
                       occurred_at=moment, place=place, category="市容环境"),
            now=moment,
        )  # fmt: skip
        assert found is not None
        steps = [ClaimAction.REVIEW, ClaimAction.RECOGNISE, ClaimAction.PUBLICISE, ClaimAction.CREDIT]
        for step in steps[: [4, 4, 4, 3, 0][n]]:
            moment += dt.timedelta(days=4 if step == ClaimAction.CREDIT else 1)
            claim_act(actor=reviewer, claim=found.pk, action=step, now=min(moment, now))
    duplicate = PointClaim(source="appeal", ref="DEMO-006", user_id=citizen.pk, item="report_valid",
                           occurred_at=now - dt.timedelta(days=12), place=places[4], category="市容环境")  # fmt: skip
    claim_submit(duplicate, now=now - dt.timedelta(days=12))
    hours = PointClaim(source="volunteer_hours", ref="DEMO-V01", user_id=citizen.pk, item="volunteer_hour",
                       quantity=2, occurred_at=now - dt.timedelta(days=3), evidence="社区文明实践站签到表")  # fmt: skip
    claim_submit(hours, now=now - dt.timedelta(days=3))
    for points in ("15", "5"):
        token = redeem.token_issue(actor=actor_for(citizen))
        redeem.redeem(actor=actor_for(cashier), token=token, points=points, now=now - dt.timedelta(days=2))
    last = redeem.Redemption.objects.order_by("-pk").first()
    assert last is not None
    redeem.refund(actor=actor_for(cashier), redemption_id=last.pk, reason="顾客退货", now=now - dt.timedelta(days=1))


def build(run: DemoRun) -> None:
    if Scheme.objects.exists():
        run.write("积分制演示数据：已有积分方案，跳过。")
        return
    structure = ensure_structure()
    street = structure.units["shizhong"]
    now = timezone.now()
    today = timezone.localdate(now)
    password = make_password(DEMO_PASSWORD)
    with sms_muted(), transaction.atomic():
        cashier = _user(CASHIER_USER, "银座收银员", Role.MERCHANT, street, password)
        reviewer = _user(REVIEWER_USER, "钱积分", Role.POINTS_REVIEWER, street, password)
        _schemes(street, today - dt.timedelta(days=120))
        _merchants(street, cashier, today)
        citizen = User.objects.filter(username="citizen").first()
        if citizen is not None:
            _history(citizen, reviewer, cashier, now)
        trial_balance(now=now)
    run.write(run.success("积分制演示数据已生成：2 个积分方案，3 家兑换商户，1 场兑换活动，张三的积分记录。"))

"""Demo elderly canteens: Licang's community canteens (one per street here; the district runs 52 in
11 streets), each with its operator, licence, 90,000–110,000 yuan a year of operating subsidy and
enrolled older people (特困, 低保, 独居, 失能 … with their sources and dates); last month's meals at
8 yuan, 2 yuan for 低保 and 特困 (list price 15 yuan, an assumption: the seed gives only what people
pay), deliveries to the dependent, and its settlements at every stage; purchase records.

Meals are bulk-inserted at the tier the counter would have applied; settlements go through the
services. Choices depend on positions in fixed lists only. Idempotent: canteens present → skipped.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.canteens import services
from huying.canteens.models import Canteen, Elder, ElderCategory, Meal, PriceTier, WeeklyMenu
from huying.canteens.states import Category, ElderStatus, Method, Mode, Slot, Source
from huying.core.validators import id_check_char
from huying.organisations.models import OrgUnit

from ..registry import DemoRun
from . import places
from .appeals_structure import DEMO_PASSWORD

RULE = "李沧区社区助老食堂就餐补贴（区财政补足餐标与个人支付之差）"
STAFF_USER, CIVIL_USER = "shitang", "lc_minzheng"
ELDERS_PER_CANTEEN = 20
# (street, canteen, lon, lat)
STREETS = [
    ("李村街道", "李村街道书院路社区助老食堂", 120.4300, 36.1600),
    ("虎山路街道", "虎山路街道东山社区助老食堂", 120.4180, 36.1700),
    ("浮山路街道", "浮山路街道南岭社区助老食堂", 120.4130, 36.1450),
    ("湘潭路街道", "湘潭路街道文昌社区助老食堂", 120.4020, 36.1580),
    ("楼山街道", "楼山街道西流庄社区助老食堂", 120.3880, 36.2020),
    ("九水街道", "九水街道庄子社区助老食堂", 120.4560, 36.1800),
    ("兴城路街道", "兴城路街道兴城社区助老食堂", 120.3970, 36.1830),
    ("振华路街道", "振华路街道振华社区助老食堂", 120.3820, 36.1800),
    ("永清路街道", "永清路街道永平社区助老食堂", 120.3890, 36.1680),
    ("兴华路街道", "兴华路街道南庄社区助老食堂", 120.3700, 36.1730),
    ("世园街道", "世园街道上臧社区助老食堂", 120.4700, 36.1650),
]
MENU = "周一 红烧鸡块 清炒油菜 小米粥\n周二 肉末豆腐 西红柿炒蛋 米饭\n周三 清蒸鲅鱼 炒土豆丝 馒头\n周四 白菜炖粉条 木须肉 米饭\n周五 鲅鱼水饺 凉拌黄瓜\n周六 冬瓜排骨汤 炒菠菜 米饭\n周日 肉包子 小米粥 拌三丝"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "秀英玉兰桂英凤英淑珍德胜长海立新明亮文斌"
# An elder's categories by position: (every nth, category).
CATEGORY_PATTERN = [
    (7, Category.TEKUN),
    (5, Category.DIBAO),
    (6, Category.ALONE),
    (9, Category.DISABLED_CARE),
    (4, Category.EMPTY_NEST),
]


def _id(n: int) -> str:
    body = f"372321{1938 + n % 15}0{1 + n % 9}1{n % 10}{n % 1000:03d}"  # a county code python-stdnum accepts
    return body + id_check_char(body)


def _user(username: str, display: str, role: str, unit: OrgUnit, password: str) -> None:
    user = User.objects.filter(username=username).first() or User.objects.create(
        username=username, display_name=display, password=password
    )
    RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=unit)


def _canteens() -> tuple[list[Canteen], OrgUnit, list[OrgUnit]]:
    district = places.licang()
    bureau = places.unit("李沧区民政局", OrgUnit.Kind.DEPARTMENT, district)
    canteens, streets = [], []
    for i, (street_name, name, lon, lat) in enumerate(STREETS):
        street = places.unit(f"李沧区{street_name}办事处", OrgUnit.Kind.TOWNSHIP, district)
        streets.append(street)
        data = {
            "code": f"LC-{i + 1:02d}",
            "name": name,
            "operator": "李沧区颐养社会工作服务中心" if i % 2 else "青岛康乐养老服务有限公司",
            "licence_number": f"JY2370213{i + 1:07d}",
            "address": f"青岛市李沧区{street_name}",
            "longitude": lon,
            "latitude": lat,
            "hours": "早 7:00-8:00 午 11:00-12:30 晚 17:00-18:00" if i < 4 else "午 11:00-12:30",
            "slots": "breakfast,lunch,dinner" if i < 4 else "lunch",
            "daily_limit": 3 if i < 4 else 1,
            "capacity": 30 + 5 * i,
            "annual_subsidy": str(90000 + (i * 2000) % 20001),
            "contact_phone": "0532-8765432" + str(i % 10),
        }
        canteens.append(services.canteen_save(actor=None, data=data, unit=street))
    return canteens, bureau, streets


def _elders(canteens: list[Canteen], since: dt.date) -> list[Elder]:
    elders: list[Elder] = []
    for c_index, canteen in enumerate(canteens):
        for j in range(ELDERS_PER_CANTEEN):
            n = c_index * ELDERS_PER_CANTEEN + j
            cats = [cat for every, cat in CATEGORY_PATTERN if j % every == 0 and j] or [Category.OLDEST]
            elders.append(
                Elder(
                    name=SURNAMES[n % 20] + GIVEN[(n * 2) % 20 : (n * 2) % 20 + 2],
                    id_number=_id(n),
                    canteen=canteen,
                    card_number=f"LC{n + 1:06d}",
                    meal_code=f"{(n * 7919) % 10**8:08d}",
                    status=ElderStatus.ACTIVE,
                    delivery_needed=Category.DISABLED_CARE in cats,
                    enrolled_on=since,
                    active_from=since,
                    recheck_due=since + dt.timedelta(days=182),
                    address=f"{canteen.address}{j + 1}号",
                )
            )
            elders[-1]._cats = cats  # type: ignore[attr-defined]
    Elder.objects.bulk_create(elders)
    rows = [
        ElderCategory(
            elder=e,
            category=cat,
            source=Source.EXCHANGE if cat in (Category.TEKUN, Category.DIBAO) else Source.PROOF,
            source_date=since,
            valid_from=since,
            checked_on=since,
            care_level="severe" if cat == Category.DISABLED_CARE else "",
        )
        for e in elders
        for cat in e._cats  # type: ignore[attr-defined]
    ]
    ElderCategory.objects.bulk_create(rows)
    return elders


def _meals(elders: list[Elder], first: dt.date, last: dt.date, staff: User) -> int:
    tiers = {t.category: t for t in PriceTier.objects.filter(rule=RULE)}
    meals: list[Meal] = []
    day = first
    while day <= last:
        for n, elder in enumerate(elders):
            if (n + day.day) % 5 == 0:  # not every day
                continue
            cats = elder._cats  # type: ignore[attr-defined]
            tier = min((tiers[c] for c in [*cats, ""] if c in tiers), key=lambda t: t.self_pay)
            mode = Mode.DELIVERY if elder.delivery_needed else Mode.DINE_IN
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(11, 30)))
            meals.append(
                Meal(
                    elder=elder,
                    canteen=elder.canteen,
                    served_on=day,
                    slot=Slot.LUNCH,
                    mode=mode,
                    method=Method.STAFF if mode == Mode.DELIVERY else Method.CARD,
                    tier=tier,
                    list_price=tier.list_price,
                    self_pay=tier.self_pay,
                    subsidy=tier.list_price - tier.self_pay,
                    recorded_by=staff,
                    recorded_at=at,
                    delivered_at=at + dt.timedelta(minutes=40) if mode == Mode.DELIVERY else None,
                    delivered_by=staff if mode == Mode.DELIVERY else None,
                )
            )
        day += dt.timedelta(days=1)
    Meal.objects.bulk_create(meals, batch_size=2000)
    return len(meals)


def _settle(canteens: list[Canteen], month: dt.date, civil: User, staff: User) -> None:
    for i, canteen in enumerate(canteens):
        s = services.settlement_generate(actor=civil, canteen=canteen, month=month)
        if i >= 8:
            continue  # generated, awaiting the operator
        RoleAssignment.objects.get_or_create(user=staff, role=Role.CANTEEN_STAFF, org_unit=canteen.unit)
        operator = User.objects.get(pk=staff.pk)  # roles are read once per user object
        s = services.settlement_act(actor=operator, settlement=s, action="confirm")
        if i < 6:
            s = services.settlement_act(actor=civil, settlement=s, action="approve")
        if i < 4:
            services.settlement_act(actor=civil, settlement=s, action="pay", note=f"李财社拨〔{month:%Y}〕{i + 11}号")
    RoleAssignment.objects.filter(user=staff, role=Role.CANTEEN_STAFF).exclude(org_unit=canteens[0].unit).delete()


def _purchases(canteens: list[Canteen], staff: User, today: dt.date) -> None:
    for canteen in canteens[:1]:
        for k, (product, shelf) in enumerate((("鲜猪肉", 3), ("鸡蛋", 30), ("大米", None), ("花生油", 540))):
            services.purchase_record(
                actor=staff,
                canteen=canteen,
                data={
                    "product": product,
                    "quantity": "20公斤",
                    "purchased_on": (today - dt.timedelta(days=3 * k)).isoformat(),
                    "production_date": (today - dt.timedelta(days=3 * k + 1)).isoformat() if shelf else "",
                    "batch": f"B{k + 1:04d}",
                    "shelf_life_days": str(shelf) if shelf else "",
                    "supplier_name": "青岛李沧农产品配送有限公司",
                    "supplier_address": "青岛市李沧区九水东路1号",
                    "supplier_contact": "0532-87001234",
                },
            )


def build(run: DemoRun) -> None:
    if Canteen.objects.exists():
        run.write("助老食堂演示数据：已有助餐点，跳过。")
        return
    today = timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    first = last.replace(day=1)
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        PriceTier.objects.get_or_create(
            rule=RULE,
            category="",
            valid_from=dt.date(2023, 1, 1),
            defaults={"list_price": Decimal(15), "self_pay": Decimal(8)},
        )
        for cat in (Category.TEKUN, Category.DIBAO):
            PriceTier.objects.get_or_create(
                rule=RULE,
                category=cat,
                valid_from=dt.date(2023, 1, 1),
                defaults={"list_price": Decimal(15), "self_pay": Decimal(2)},
            )
        canteens, bureau, _streets = _canteens()
        _user(STAFF_USER, "食堂管理员 刘红", Role.CANTEEN_STAFF, canteens[0].unit, password)
        _user(CIVIL_USER, "区民政局 王科长", Role.CIVIL_AFFAIRS, bureau, password)
        staff, civil = User.objects.get(username=STAFF_USER), User.objects.get(username=CIVIL_USER)
        elders = _elders(canteens, first - dt.timedelta(days=60))
        meals = _meals(elders, first, last, staff)
        _settle(canteens, first, civil, staff)
        _purchases(canteens, staff, today)
        monday = today - dt.timedelta(days=today.weekday())
        WeeklyMenu.objects.bulk_create([WeeklyMenu(canteen=c, week_start=monday, text=MENU) for c in canteens])
    run.write(
        run.success(
            f"助老食堂演示数据已生成：{len(canteens)} 处助老食堂，{len(elders)} 位登记老人，上月 {meals} 人次就餐及结算。"
        )
    )

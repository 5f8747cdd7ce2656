"""Demo service points: the 百事通 map of Binzhou's three levels and Zhaoyuan's 党建示范区 village
centres with their 94-item style full-proxy lists (picked from the demo catalogue), a village clerk,
the town window and the pension office, and a season of proxy filings carried through the one-window
loop (most returned to the centre and collected).

Zhaoyuan (seed 001): 58 centres within 3 km of everyone, 94 services under full proxy; Mrs Chai, 60,
applied for her basic pension at the 徐家 centre. Binzhou (seed 000): city, county and township points
with what they handle, online guidance and proxy help. Idempotent: a register with points is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.applications import services as app_services
from huying.applications.models import ReviewTask
from huying.catalogue.models import Material, ServiceItem
from huying.core.notify import sms_muted
from huying.core.validators import id_check_char
from huying.organisations.models import OrgUnit
from huying.servicepoints import services
from huying.servicepoints.models import CentreClerk, ServicePoint
from huying.servicepoints.states import Kind

from ..registry import DemoRun
from . import places
from .appeals_structure import DEMO_PASSWORD

PENSION_CODE = "11370685004319999X000012010001"
PENSION = "城乡居民基本养老保险待遇领取"
PROXY_ITEMS = 94
CLERK_USER, WINDOW_USER, REVIEWER_USER = "cunzhan", "zxchuangkou", "zyrenshe"

# (code, name, kind, unit key, lon, lat, hours)
ZHAOYUAN: list[tuple[str, str, str, str, float, float, str]] = [
    ("ZY-HALL", "招远市政务服务中心", Kind.COUNTY_HALL, "zhaoyuan", 120.4340, 37.3550, "周一至周五 8:30-17:00，周六上午"),
    ("ZY-ZX", "张星镇便民服务中心", Kind.TOWNSHIP_CENTRE, "zhangxing", 120.3010, 37.4700, "周一至周五 8:30-17:00"),
    ("ZY-JL", "金岭镇便民服务中心", Kind.TOWNSHIP_CENTRE, "jinling", 120.2400, 37.2980, "周一至周五 8:30-17:00"),
    ("ZY-CZ", "蚕庄镇便民服务中心", Kind.TOWNSHIP_CENTRE, "canzhuang", 120.3090, 37.5420, "周一至周五 8:30-17:00"),
    ("ZY-XD", "夏甸镇便民服务中心", Kind.TOWNSHIP_CENTRE, "xiadian", 120.5120, 37.1870, "周一至周五 8:30-17:00"),
    ("ZY-ZX-XJ", "张星镇徐家党建示范区党群服务中心", Kind.PARTY_CENTRE, "xujia", 120.2950, 37.4820, "周一至周六 8:00-17:30"),
    ("ZY-ZX-JH", "张星镇界河党建示范区党群服务中心", Kind.PARTY_CENTRE, "zhangxing", 120.3420, 37.4910, "周一至周六 8:00-17:30"),
    ("ZY-JL-DHCJ", "金岭镇大户陈家党建示范区党群服务中心", Kind.PARTY_CENTRE, "jinling", 120.2290, 37.3120, "周一至周六 8:00-17:30"),
    ("ZY-JL-ZL", "金岭镇寨里党建示范区党群服务中心", Kind.PARTY_CENTRE, "jinling", 120.2550, 37.2810, "周一至周六 8:00-17:30"),
    ("ZY-CZ-LH", "蚕庄镇柳杭党建示范区党群服务中心", Kind.PARTY_CENTRE, "canzhuang", 120.2950, 37.5590, "周一至周六 8:00-17:30"),
    ("ZY-XD-CJW", "夏甸镇曹家洼党建示范区党群服务中心", Kind.PARTY_CENTRE, "xiadian", 120.4970, 37.1720, "周一至周六 8:00-17:30"),
    ("ZY-XZ-ZS", "辛庄镇宅上党建示范区党群服务中心", Kind.PARTY_CENTRE, "zhaoyuan", 120.2330, 37.4160, "周一至周六 8:00-17:30"),
    ("ZY-QS-24", "泉山街道24小时自助服务区", Kind.SELF_SERVICE, "zhaoyuan", 120.4200, 37.3630, "全天24小时"),
]  # fmt: skip
BINZHOU: list[tuple[str, str, str, str, float, float, str]] = [
    ("BZ-HALL", "滨州市政务服务中心", Kind.CITY_HALL, "", 117.9720, 37.3830, "周一至周五 8:30-17:30，周末延时"),
    ("BZ-BC", "滨城区政务服务中心", Kind.COUNTY_HALL, "", 118.0190, 37.4320, "周一至周五 8:30-17:30"),
    ("BZ-ZP", "邹平市政务服务中心", Kind.COUNTY_HALL, "", 117.7430, 36.8630, "周一至周五 8:30-17:30"),
    ("BZ-SZ", "市中街道便民服务中心", Kind.TOWNSHIP_CENTRE, "", 117.9840, 37.3830, "周一至周五 8:30-17:00"),
    ("BZ-HD", "韩店镇便民服务中心", Kind.TOWNSHIP_CENTRE, "", 117.6290, 36.9260, "周一至周五 8:30-17:00"),
    ("BZ-SZ-HH", "黄河社区便民服务站", Kind.VILLAGE_STATION, "", 117.9760, 37.3890, "周一至周六 8:30-17:30"),
    ("BZ-SZ-BH", "渤海社区便民服务站", Kind.VILLAGE_STATION, "", 117.9920, 37.3760, "周一至周六 8:30-17:30"),
    ("BZ-HD-XW", "西王村便民服务站", Kind.VILLAGE_STATION, "", 117.6410, 36.9380, "周一至周六 8:00-17:00"),
    ("BZ-SZ-ZY", "市中街道新时代文明实践志愿服务站", Kind.VOLUNTEER_STATION, "", 117.9800, 37.3850, "周六、周日 9:00-16:00"),
    ("BZ-BC-RD", "滨城区人大代表联络站（市中）", Kind.DEPUTY_STATION, "", 117.9860, 37.3810, "每月15日接待选民"),
]  # fmt: skip
# Residents filing at the 徐家 centre: (name, village, birth).
RESIDENTS = [
    ("柴秀英", "张星镇石棚村", "19641107"),
    ("徐建国", "张星镇徐家村", "19620315"),
    ("付桂英", "张星镇付家村", "19630702"),
    ("王德胜", "张星镇石棚村", "19600918"),
    ("李凤英", "张星镇付家村", "19611224"),
    ("徐长海", "张星镇徐家村", "19590411"),
    ("柴玉兰", "张星镇石棚村", "19640130"),
    ("付立新", "张星镇付家村", "19620808"),
    ("王淑珍", "张星镇界河村", "19631105"),
    ("李明亮", "张星镇界河村", "19600227"),
    ("徐红梅", "张星镇徐家村", "19650619"),
    ("柴志强", "张星镇石棚村", "19610903"),
]


def _id(n: int, birth: str) -> str:
    body = f"372725{birth}{n:03d}"  # 招远's county code in force at their birth
    return body + id_check_char(body)


def _units() -> dict[str, OrgUnit]:
    zhaoyuan = places.unit("招远市人民政府", OrgUnit.Kind.GOVERNMENT, places.root())
    units = {
        "zhaoyuan": zhaoyuan,
        "renshe": places.unit("招远市人力资源和社会保障局", OrgUnit.Kind.DEPARTMENT, zhaoyuan),
    }
    for key, name in (
        ("zhangxing", "招远市张星镇人民政府"),
        ("jinling", "招远市金岭镇人民政府"),
        ("canzhuang", "招远市蚕庄镇人民政府"),
        ("xiadian", "招远市夏甸镇人民政府"),
    ):
        units[key] = places.unit(name, OrgUnit.Kind.TOWNSHIP, zhaoyuan)
    units["xujia"] = places.unit("张星镇徐家党建示范区", OrgUnit.Kind.COMMUNITY, units["zhangxing"])
    return units


def _pension(unit: OrgUnit) -> ServiceItem:
    item = ServiceItem.objects.filter(code=PENSION_CODE).first()
    if item is None:
        item = ServiceItem.objects.create(
            code=PENSION_CODE, basic_code="000112010000", name=PENSION, unit=unit,
            item_type=ServiceItem.ItemType.PUBLIC_SERVICE, level=ServiceItem.Level.COUNTY,
            applicant_kind=ServiceItem.ApplicantKind.PERSON, review_mode=ServiceItem.ReviewMode.SEQUENTIAL,
            legal_days=20, promised_days=5, max_visits=2,
            conditions="年满60周岁、累计缴费满15年（或按规定补缴）的城乡居民基本养老保险参保人，可申请按月领取养老金。",
            process="申请人（或委托代办人）提交申请 → 镇（街道）窗口受理 → 县级社保经办机构审核 → 次月起按月发放。",
            legal_basis="《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
            place="各镇（街道）便民服务中心、招远市政务服务中心社保窗口；村级党群服务中心可全程代办",
            hours="周一至周五 8:30-17:00", contact_phone="0535-8211234",
        )  # fmt: skip
        Material.objects.create(item=item, key="id_card", name="申请人居民身份证", sort=0)
        Material.objects.create(item=item, key="bank_card", name="社会保障卡或本人银行卡", sort=1)
    return item


def _proxy_list(pension: ServiceItem) -> list[str]:
    """The centre's full-proxy list: the pension and the demo catalogue's items for people."""
    persons = ServiceItem.objects.filter(
        is_active=True,
        proxy_allowed=True,
        applicant_kind__in=[ServiceItem.ApplicantKind.PERSON, ServiceItem.ApplicantKind.BOTH],
    ).exclude(code=PENSION_CODE)
    return [pension.code, *persons.order_by("code").values_list("code", flat=True)[: PROXY_ITEMS - 1]]


def _points(units: dict[str, OrgUnit], pension: ServiceItem) -> int:
    proxy = _proxy_list(pension)
    by_level = {
        lvl: list(ServiceItem.objects.filter(is_active=True, level=lvl).values_list("code", flat=True))
        for lvl in ServiceItem.Level.values
    }
    accepts: dict[str, list[str]] = {
        Kind.CITY_HALL: by_level["city"],
        Kind.COUNTY_HALL: by_level["county"] + by_level["city"],
        Kind.TOWNSHIP_CENTRE: by_level["township"],
        Kind.VILLAGE_STATION: by_level["village"],
    }
    for code, name, kind, unit_key, lon, lat, hours in ZHAOYUAN + BINZHOU:
        data = {
            "code": code,
            "name": name,
            "kind": kind,
            "address": name,
            "longitude": lon,
            "latitude": lat,
            "hours": hours,
            "windows": 12 if "HALL" in code else 3,
            "contact_phone": "0535-8201234" if code.startswith("ZY") else "0543-3161234",
        }
        point = services.point_save(actor=None, data=data, unit=units.get(unit_key))
        mine = set(accepts.get(kind, []))
        if code.startswith("ZY") and kind in (Kind.COUNTY_HALL, Kind.TOWNSHIP_CENTRE):
            mine |= {pension.code}
        proxies = proxy if kind in (Kind.PARTY_CENTRE, Kind.VILLAGE_STATION) and code.startswith("ZY") else []
        guides = proxy[:20] if kind in (Kind.PARTY_CENTRE, Kind.VILLAGE_STATION, Kind.SELF_SERVICE) else []
        services.point_set_items(actor=None, point=point, accepts=sorted(mine), guides=guides, proxies=proxies)
    return len(ZHAOYUAN) + len(BINZHOU)


def _user(username: str, display: str, role: str, unit: OrgUnit, password: str) -> User:
    user = User.objects.filter(username=username).first() or User.objects.create(
        username=username, display_name=display, password=password
    )
    RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=unit)
    return user


def _cases(units: dict[str, OrgUnit], pension: ServiceItem, password: str) -> int:
    clerk = _user(CLERK_USER, "徐家代办员 徐丽", Role.VILLAGE_CLERK, units["xujia"], password)
    window = _user(WINDOW_USER, "张星镇综合窗口 王敏", Role.CLERK, units["zhangxing"], password)
    reviewer = _user(REVIEWER_USER, "招远市社保中心 刘审核", Role.REVIEWER, units["renshe"], password)
    centre = ServicePoint.objects.get(code="ZY-ZX-XJ")
    CentreClerk.objects.get_or_create(point=centre, user=clerk)
    now = timezone.now()
    for n, (name, village, birth) in enumerate(RESIDENTS):
        at = now - dt.timedelta(days=70 - n * 5, hours=2)
        case = services.case_file(
            actor=clerk, point=centre, item_code=pension.code, resident_name=name, resident_id_number=_id(n + 1, birth),
            resident_phone=f"139053{n:05d}", identity_check="id_card", authorised=True, home=village,
            materials={"id_card": "provided", "bank_card": "provided"}, now=at,
        )  # fmt: skip
        if n >= 9:  # the latest filings are still at the window
            continue
        app = case.application
        app_services.application_transition(
            actor=window, application=app, action="accept", materials={}, now=at + dt.timedelta(days=1)
        )
        app_services.application_transition(
            actor=window, application=app, action="start_review", now=at + dt.timedelta(days=1)
        )
        task = ReviewTask.objects.get(application=app, status="active")
        app_services.review_task_decide(
            actor=reviewer, task=task, approve=True, opinion="符合待遇领取条件。", now=at + dt.timedelta(days=3)
        )
        app_services.application_transition(
            actor=window, application=app, action="issue", method="window", now=at + dt.timedelta(days=4)
        )
        case = services.case_act(actor=clerk, case=case, action="return", now=at + dt.timedelta(days=5))
        services.case_act(actor=clerk, case=case, action="collect", now=at + dt.timedelta(days=6))
    return len(RESIDENTS)


def build(run: DemoRun) -> None:
    if ServicePoint.objects.filter(source="").exists():
        run.write("家门口服务演示数据：已有服务点，跳过。")
        return
    password = make_password(DEMO_PASSWORD)
    with sms_muted(), transaction.atomic():
        units = _units()
        pension = _pension(units["renshe"])
        points = _points(units, pension)
        cases = _cases(units, pension, password)
    run.write(
        run.success(f"家门口服务演示数据已生成：{points} 个服务点，{cases} 件村级全程代办（招远徐家党建示范区）。")
    )

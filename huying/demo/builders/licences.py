"""Demo e-licences: ID numbers for the demo citizens and their licences (身份证、户口簿、社保卡、不动产权证书),
enterprises' 营业执照 and 食品经营许可证, a couple of authorisations, a few use records, and about a
thousand licences of other Binzhou residents and businesses. Idempotent and fast (one transaction)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from huying.accounts.models import RoleAssignment, User
from huying.accounts.roles import Role
from huying.core.validators import USCC_ALPHABET, id_check_char, org_code_check_char, uscc_check_char
from huying.licences import selectors, services, types
from huying.licences.models import Authorisation, Licence, LicenceUse
from huying.organisations.models import OrgUnit

from ..registry import DemoRun
from .appeals_structure import DEMO_PASSWORD

SOURCE = "demo"
BULK_TARGET = 1000
# Binzhou county codes (GB/T 2260) valid for birth years: 3723xx until 2000, 3716xx from 2000.
_OLD_COUNTIES = ["372321", "372323", "372324", "372325", "372328"]
_NEW_COUNTIES = ["371602", "371621", "371622", "371623", "371625"]
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁宋谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌浩宇欣怡子涵梓萱晨阳佳琪"
_STREETS = ["黄河五路", "渤海七路", "长江一路", "黄河二路", "渤海十八路", "新立河东路", "梧桐五路", "凤凰三路"]
_TRADES = [("餐饮管理", "餐饮"), ("食品销售", "食品"), ("商贸", "批发零售"), ("科技", "软件开发"), ("物流", "货运")]


def id_number(county: str, birth: dt.date, seq: int) -> str:
    first17 = f"{county}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_check_char(first17)


def credit_code(kind: str, region: str, n: int) -> str:
    """A check-valid 统一社会信用代码: ``kind`` is 登记管理部门+机构类别 (11 机关, 91 企业)."""
    org8 = f"{n:08d}"
    org = org8 + org_code_check_char(org8)
    first17 = kind + region + org
    assert all(c in USCC_ALPHABET for c in first17)
    return first17 + uscc_check_char(first17)


ISSUERS = {
    # key: (unit name in the demo tree, credit code)
    "gongan": ("滨州市公安局", credit_code("11", "371600", 400001)),
    "renshe": ("滨州市人力资源和社会保障局", credit_code("11", "371600", 400002)),
    "ziran": ("滨州市自然资源和规划局", credit_code("11", "371600", 400003)),
    "shenpi": ("滨州市行政审批服务局", credit_code("11", "371600", 400004)),
    "minzheng": ("滨城区民政局", credit_code("11", "371602", 400005)),
}
PERSON_TYPES = {
    types.ID_CARD: "gongan",
    types.HOUSEHOLD_REGISTER: "gongan",
    types.SOCIAL_SECURITY_CARD: "renshe",
    types.REAL_ESTATE_CERTIFICATE: "ziran",
}
DEMO_CITIZENS = [
    # username, display name, phone, county, birth, seq
    ("citizen", "张三", "13800138000", "371602", dt.date(2001, 3, 15), 123),
    ("citizen2", "李四", "13900139000", "371621", dt.date(2003, 7, 8), 246),
]
DEMO_CLERK = ("window1", "周窗口", Role.CLERK, "shenpi")


def build(run: DemoRun) -> None:
    _LicenceDemo(run).build()


class _LicenceDemo:
    def __init__(self, run: DemoRun):
        self.run = run

    def build(self) -> None:
        rng = random.Random(20260601)
        with transaction.atomic():
            services.licence_types_load()
            issuers = self._issuers()
            citizens = self._citizens()
            clerk = self._clerk()
            mine = self._citizen_licences(citizens, issuers)
            self._enterprises(issuers, rng)
            self._authorisations(citizens, mine)
            created = self._bulk(issuers, rng, self.run.licences)
        self._uses(citizens, clerk, mine)
        self.run.write(
            f"电子证照：共 {Licence.objects.count()} 份（本次新增其他居民和企业证照 {created} 份）；"
            f"演示账号 citizen / citizen2（已实名）、{DEMO_CLERK[0]}（窗口扫码核验），密码 {DEMO_PASSWORD}。"
        )

    def _issuers(self) -> dict[str, tuple[str, str, OrgUnit | None]]:
        return {key: (name, code, OrgUnit.objects.filter(name=name).first()) for key, (name, code) in ISSUERS.items()}

    def _citizens(self) -> list[User]:
        password = make_password(DEMO_PASSWORD)
        users = []
        for username, name, phone, county, birth, seq in DEMO_CITIZENS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create(username=username, display_name=name, phone=phone, password=password)
            if not user.id_number:
                user.id_number = id_number(county, birth, seq)
                user.save(update_fields=["id_number"])
            users.append(user)
        return users

    def _clerk(self) -> User | None:
        username, name, role, unit_key = DEMO_CLERK
        unit = OrgUnit.objects.filter(name=ISSUERS[unit_key][0]).first()
        if unit is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(username=username, display_name=name, password=make_password(DEMO_PASSWORD))
        RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=unit)
        return user

    def _issue(self, issuers: dict[str, Any], key: str, **kw: Any) -> Licence:
        """A licence of the past is issued on the day it became valid, not on the day the demo ran."""
        name, code, unit = issuers[key]
        kw.setdefault("issued_on", kw.get("valid_from"))
        return services.licence_issue(
            issuer_name=name, issuer_credit_code=code, issuer_unit=unit, source_ref=SOURCE, **kw
        )

    def _citizen_licences(self, citizens: list[User], issuers: dict[str, Any]) -> dict[tuple[int, str], Licence]:
        mine: dict[tuple[int, str], Licence] = {}
        for index, user in enumerate(citizens):
            for type_code, issuer in PERSON_TYPES.items():
                licence = selectors.valid_licence_for(user.id_number, type_code)
                if licence is None:
                    extra: dict[str, Any] = {"住址": f"山东省滨州市滨城区{_STREETS[index]}{index * 7 + 3}号"}
                    number = ""
                    if type_code == types.REAL_ESTATE_CERTIFICATE:
                        number = f"鲁（2024）滨州市不动产权第{1000231 + index:07d}号"
                        extra = {
                            "坐落": f"滨城区{_STREETS[index]}{index + 12}号院3号楼2单元501",
                            "面积": "126.35平方米",
                        }
                    licence = self._issue(
                        issuers,
                        issuer,
                        type_code=type_code,
                        holder_code=user.id_number,
                        holder_name=user.display_name,
                        number=number,
                        data=extra,
                        valid_from=dt.date(2021, 5, 10 + index),
                    )
                mine[(user.pk, type_code)] = licence
        return mine

    def _enterprises(self, issuers: dict[str, Any], rng: random.Random) -> None:
        for n in range(6):
            code = credit_code("91", "371602", 700000 + n)
            trade, scope = _TRADES[n % len(_TRADES)]
            name = f"滨州市{['鲁北', '黄河', '渤海', '滨城', '孙子', '沾化'][n]}{trade}有限公司"
            if selectors.valid_licence_for(code, types.BUSINESS_LICENCE) is None:
                self._issue(
                    issuers,
                    "shenpi",
                    type_code=types.BUSINESS_LICENCE,
                    holder_code=code,
                    holder_name=name,
                    number=code,
                    data={"经营范围": scope, "住所": f"山东省滨州市滨城区{rng.choice(_STREETS)}{n + 20}号"},
                    valid_from=dt.date(2019 + n % 5, 3, 1),
                )
            if n % 5 < 2 and selectors.valid_licence_for(code, types.FOOD_BUSINESS_LICENCE) is None:
                self._issue(
                    issuers,
                    "shenpi",
                    type_code=types.FOOD_BUSINESS_LICENCE,
                    holder_code=code,
                    holder_name=name,
                    number=f"JY23716{n:09d}",
                    data={"经营项目": "预包装食品销售；热食类食品制售"},
                    valid_from=timezone.localdate() - dt.timedelta(days=400 + n * 30),
                )

    def _authorisations(self, citizens: list[User], mine: dict[tuple[int, str], Licence]) -> None:
        zhang, li = citizens[0], citizens[1]
        now = timezone.now()
        for owner, grantee, type_code, purpose in (
            (zhang, li, types.HOUSEHOLD_REGISTER, "代为办理子女入学登记"),
            (li, zhang, types.REAL_ESTATE_CERTIFICATE, "代为办理不动产抵押登记"),
        ):
            licence = mine[(owner.pk, type_code)]
            if not Authorisation.objects.filter(licence=licence, grantee=grantee, revoked_at__isnull=True).exists():
                services.authorisation_grant(
                    licence=licence,
                    grantee=grantee,
                    purpose=purpose,
                    valid_until=now + dt.timedelta(days=30),
                    actor=owner,
                )

    def _bulk(self, issuers: dict[str, Any], rng: random.Random, target: int) -> int:
        have = Licence.objects.filter(source_ref=f"{SOURCE}-bulk").count()
        created = 0
        n = have
        while have + created < target:
            n += 1
            if n % 8 == 0:
                code = credit_code("92", "371602", 800000 + n)  # 个体工商户
                self._issue_bulk(
                    issuers,
                    "shenpi",
                    type_code=types.BUSINESS_LICENCE,
                    holder_code=code,
                    holder_name=f"滨城区{rng.choice(_SURNAMES)}记{rng.choice(['便利店', '餐馆', '理发店', '五金店'])}",
                    number=code,
                    valid_from=dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3600)),
                )
                created += 1
                continue
            year = rng.randrange(1960, 2008)
            birth = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 29))
            county = rng.choice(_OLD_COUNTIES if year < 2000 else _NEW_COUNTIES)
            holder = id_number(county, birth, rng.randrange(1, 1000))
            if Licence.objects.filter(holder_code=holder).exists():
                continue
            name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
            start = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(4700))
            for type_code in (types.ID_CARD, types.SOCIAL_SECURITY_CARD, types.HOUSEHOLD_REGISTER):
                if have + created >= target:
                    break
                self._issue_bulk(
                    issuers,
                    PERSON_TYPES[type_code],
                    type_code=type_code,
                    holder_code=holder,
                    holder_name=name,
                    valid_from=start,
                )
                created += 1
        services.licences_expire()
        return created

    def _issue_bulk(self, issuers: dict[str, Any], key: str, **kw: Any) -> None:
        name, code, unit = issuers[key]
        kw.setdefault("issued_on", kw.get("valid_from"))
        services.licence_issue(
            issuer_name=name, issuer_credit_code=code, issuer_unit=unit, source_ref=f"{SOURCE}-bulk", **kw
        )

    def _uses(self, citizens: list[User], clerk: User | None, mine: dict[tuple[int, str], Licence]) -> None:
        if clerk is None or LicenceUse.objects.filter(verifier=clerk).exists():
            return
        zhang = citizens[0]
        for type_code, purpose, place in (
            (types.ID_CARD, "办理户口迁移，核验申请人身份", "市政务服务中心综合受理区 3号窗口"),
            (types.SOCIAL_SECURITY_CARD, "办理灵活就业人员参保登记", "市政务服务中心综合受理区 5号窗口"),
        ):
            token = services.show_token_issue(licence=mine[(zhang.pk, type_code)], user=zhang)
            services.token_verify(token=token, verifier=clerk, place=place, purpose=purpose)

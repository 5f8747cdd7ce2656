"""Fixtures for the 办件 loop: the services app's small catalogue plus window, review and agent staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.applications import services
from huying.applications.models import Application
from huying.applications.states import Action
from huying.catalogue.tests.factories import Catalogue, build_catalogue
from tests.fixtures import make_user

CITIZEN_ID = "11010519491231002X"


def valid_uscc(first17: str) -> str:
    from huying.core.validators import uscc_check_char

    return first17 + uscc_check_char(first17)


COMPANY = valid_uscc("91371600MA3C12345")


def local(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args), timezone.get_current_timezone())


@dataclass
class Hall:
    world: Any
    cat: Catalogue
    clerk: User
    reviewer: User  # 行政审批服务局
    housing_reviewer: User  # 住建局 (fire-safety opinion of food licensing, stage 2)
    renshe_reviewer: User
    agent: User
    manager: User
    citizen: User  # with a verified ID number


@pytest.fixture
def hall(world: Any) -> Hall:
    cat = build_catalogue(world)
    return Hall(
        world=world,
        cat=cat,
        clerk=make_user("chuangkou", Role.CLERK, cat.shenpi, display_name="窗口小王"),
        reviewer=make_user("shenpi_sp", Role.REVIEWER, cat.shenpi, display_name="审批老李"),
        housing_reviewer=make_user("shenpi_zj", Role.REVIEWER, world.housing, display_name="住建审批"),
        renshe_reviewer=make_user("shenpi_rs", Role.REVIEWER, cat.renshe, display_name="人社审批"),
        agent=make_user("bangban", Role.AGENT, cat.shenpi, display_name="帮办小张"),
        manager=make_user("dating", Role.HALL_MANAGER, cat.shenpi, display_name="大厅经理"),
        citizen=make_user("zhangsan", phone="13800138001", id_number=CITIZEN_ID, display_name="张三"),
    )


COMPANY_FORM = {"company_name": "滨州示例科技有限公司", "credit_code": COMPANY, "phone": "13800138001"}


def receive(
    h: Hall, *, item: Any = None, bundle: Any = None, now: dt.datetime | None = None, **extra: Any
) -> Application:
    target = {"item": item} if item is not None or bundle is None else {"bundle": bundle}
    if bundle is not None:
        target = {"bundle": bundle}
    values: dict[str, Any] = {
        "actor": h.clerk,
        "applicant_kind": "enterprise",
        "applicant_name": "滨州示例科技有限公司",
        "applicant_code": COMPANY,
        "applicant_phone": "13800138999",
        "form_data": {
            "address": "滨城区黄河五路1号",
            "staff_count": "12",
            "account_type": "基本存款账户",
            **COMPANY_FORM,
        },
        "now": now or local(2026, 3, 2, 9, 0),
    }
    values.update(extra)
    return services.application_receive(**target, **values)


def all_provided(application: Application) -> dict[str, str]:
    return {m.key: "provided" for m in application.materials.all() if m.status != "e_licence"}


def accepted(h: Hall, *, item: Any = None, bundle: Any = None, now: dt.datetime | None = None) -> Application:
    now = now or local(2026, 3, 2, 9, 0)
    app = receive(h, item=item if item is not None or bundle is not None else h.cat.food, bundle=bundle, now=now)
    return services.application_transition(
        actor=h.clerk, application=app, action=Action.ACCEPT, materials=all_provided(app), now=now
    )


def in_review(h: Hall, *, item: Any = None, bundle: Any = None, now: dt.datetime | None = None) -> Application:
    now = now or local(2026, 3, 2, 9, 0)
    app = accepted(h, item=item, bundle=bundle, now=now)
    return services.application_transition(actor=h.clerk, application=app, action=Action.START_REVIEW, now=now)


def person_app(h: Hall, now: dt.datetime | None = None) -> Application:
    """The verified citizen applies online, in their own name, for the bank account item."""
    return services.application_receive(
        actor=h.citizen,
        item=h.cat.bank,
        channel="online",
        applicant_kind="person",
        applicant_name="张三",
        applicant_code=CITIZEN_ID,
        applicant_phone="13800138001",
        form_data={"company_name": "张三个体户", "phone": "13800138001", "account_type": "个人账户"},
        now=now or local(2026, 3, 2, 9, 0),
    )

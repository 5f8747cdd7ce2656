"""The grid worker's phone pages: visits due with a finding turned into an appeal; cases to verify."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from huying.appeals.models import Appeal
from huying.appeals.states import Channel, Status
from huying.grids import services
from huying.grids.models import Household, VisitFinding

from .factories import AREA, build, make_id, register_xlsx
from .test_gridcase import photo, report, to_replied

pytestmark = pytest.mark.django_db


@pytest.fixture
def g(world: Any) -> Any:
    g = build(world)
    g.world = world
    rows = [[AREA + "001", "0001", "黄河路1号", "13800000001", "", "", "赵岱禄", "户主", make_id(1, "19460101"), ""]]
    assert services.households_import(register_xlsx(rows), actor=None).ok
    g.home = Household.objects.get(grid=g.west)
    g.client = Client()
    g.client.force_login(g.worker)
    return g


def test_a_visit_finding_becomes_an_appeal_in_one_step(g: Any) -> None:
    page = g.client.get(reverse("grids:visits"))
    assert page.status_code == 200 and "黄河路1号" in page.content.decode()
    response = g.client.post(
        reverse("grids:visits"),
        {
            "household": g.home.pk,
            "channel": "home",
            "summary": "老人行动不便",
            "finding_category": "livelihood",
            "finding_text": "脑梗后遗症，需办理残疾证",
            "to_appeal": "1",
        },
        follow=True,
    )
    finding = VisitFinding.objects.get()
    assert finding.appeal is not None and finding.appeal.channel == Channel.VISIT
    assert finding.appeal.grid_code == g.west.code
    assert finding.appeal.number in response.content.decode()


def test_a_household_outside_the_workers_grids_is_not_found(g: Any) -> None:
    other = Client()
    other.force_login(g.east_worker)
    assert other.post(reverse("grids:visits"), {"household": g.home.pk}).status_code == 404


def test_cases_page_verifies_with_a_photo(g: Any) -> None:
    appeal = to_replied(g, report(g))
    partner = Client()
    partner.force_login(g.east_worker)
    assert str(appeal.number) not in partner.get(reverse("grids:cases")).content.decode()
    page = g.client.get(reverse("grids:cases"))
    assert f"case-{appeal.pk}-verify_pass" in page.content.decode()
    url = reverse("grids:case_act", args=[appeal.pk])
    g.client.post(url, {"action": "verify_pass", "note": "已修复", "photo": photo()})
    assert Appeal.objects.get(pk=appeal.pk).status == Status.CLOSED


def test_cases_page_sends_a_failed_check_back(g: Any) -> None:
    appeal = to_replied(g, report(g))
    g.client.post(reverse("grids:case_act", args=[appeal.pk]), {"action": "verify_fail", "note": "仍未修好"})
    assert Appeal.objects.get(pk=appeal.pk).status == Status.HANDLING
    mine = report(g)
    g.client.post(
        reverse("grids:case_act", args=[mine.pk]), {"action": "self_handle", "note": "已处理", "photo": photo()}
    )
    assert Appeal.objects.get(pk=mine.pk).status == Status.CLOSED

"""网格代办: a visit finding becomes, in one step, an application in the service hall filed by the grid
worker for the resident."""

from __future__ import annotations

from typing import Any

import pytest

from huying.applications.models import Application, AssistedService
from huying.applications.states import AssistKind
from huying.applications.states import Channel as ApplicationChannel
from huying.catalogue.models import ServiceItem
from huying.catalogue.tests.factories import make_item
from huying.core.errors import NotFound, ValidationFailed
from huying.grids import errors, services
from huying.grids.models import Household, Resident, VisitFinding

from .factories import AREA, build, make_id, register_xlsx

pytestmark = pytest.mark.django_db

DISABILITY = "11371600MB2851234X001"


@pytest.fixture
def g(world: Any) -> Any:
    g = build(world)
    rows = [
        [
            AREA + "001",
            "0001",
            "黄河路1号",
            "13800000001",
            "",
            "高龄独居老人",
            "赵岱禄",
            "户主",
            make_id(1, "19460101"),
            "",
        ],
    ]
    assert services.households_import(register_xlsx(rows), actor=None).ok
    g.home = Household.objects.get(grid=g.west, number="0001")
    g.item = make_item(
        DISABILITY,
        "残疾人证办理",
        g.community,
        applicant_kind=ServiceItem.ApplicantKind.PERSON,
        item_type=ServiceItem.ItemType.CONFIRMATION,
    )
    visit = services.visit_record(
        actor=g.worker, household=g.home, findings=[("livelihood", "年近80岁，脑血栓后遗症行走不便，需要办理残疾证。")]
    )
    g.finding = VisitFinding.objects.get(visit=visit)
    return g


def test_a_finding_becomes_a_proxy_application_once(g: Any) -> None:
    application = services.visit_finding_to_application(actor=g.worker, finding=g.finding, item_code=DISABILITY)
    resident = Resident.objects.get(household=g.home)
    assert application.item == g.item and application.channel == ApplicationChannel.GRID
    assert (application.applicant_name, application.applicant_code) == (resident.name, resident.id_number)
    assert application.applicant_phone == "13800000001"  # the household's phone: the resident has none
    assert application.agent == g.worker
    assist = AssistedService.objects.get(application=application)
    assert assist.kind == AssistKind.PROXY and assist.staff == g.worker and assist.person_name == resident.name
    g.finding.refresh_from_db()
    assert g.finding.application == application and g.finding.outcome == VisitFinding.Outcome.APPLICATION
    with pytest.raises(ValidationFailed) as exc:
        services.visit_finding_to_application(actor=g.worker, finding=g.finding, item_code=DISABILITY)
    assert exc.value.code == errors.FINDING_CONVERTED
    with pytest.raises(ValidationFailed) as exc:
        services.visit_finding_to_appeal(actor=g.worker, finding=g.finding, auto_dispatch=False)
    assert exc.value.code == errors.FINDING_CONVERTED
    assert Application.objects.count() == 1


def test_a_stale_second_conversion_is_rolled_back(g: Any) -> None:
    stale = VisitFinding.objects.get(pk=g.finding.pk)
    services.visit_finding_to_appeal(actor=g.worker, finding=g.finding, auto_dispatch=False)
    with pytest.raises(ValidationFailed) as exc:
        services.visit_finding_to_application(actor=g.worker, finding=stale, item_code=DISABILITY)
    assert exc.value.code == errors.FINDING_CONVERTED
    assert not Application.objects.exists() and not AssistedService.objects.exists()


def test_outside_the_grid_is_not_found(g: Any) -> None:
    with pytest.raises(NotFound):
        services.visit_finding_to_application(actor=g.east_worker, finding=g.finding, item_code=DISABILITY)
    assert not Application.objects.exists()


def test_an_unknown_item_code_writes_nothing(g: Any) -> None:
    for code in ("NO-SUCH-ITEM", ""):
        with pytest.raises(ValidationFailed) as exc:
            services.visit_finding_to_application(actor=g.worker, finding=g.finding, item_code=code)
        assert exc.value.code == errors.UNKNOWN_SERVICE_ITEM
    g.finding.refresh_from_db()
    assert g.finding.outcome == VisitFinding.Outcome.OPEN and g.finding.application is None
    assert not Application.objects.exists() and not AssistedService.objects.exists()


def test_the_grid_channel_is_closed_to_other_callers(g: Any) -> None:
    from huying.applications import services as application_services
    from huying.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        application_services.application_receive(
            actor=g.worker,
            item=g.item,
            applicant_kind="person",
            applicant_name="赵岱禄",
            applicant_code=make_id(1, "19460101"),
            applicant_phone="13800000001",
            channel=ApplicationChannel.GRID,
        )
    assert not Application.objects.exists()


def test_the_visit_page_files_a_proxy_application(g: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(g.worker)
    assert "item_code" in client.get(reverse("grids:visits")).content.decode()
    form = {"household": g.home.pk, "channel": "home", "finding_category": "livelihood", "finding_text": "需办理残疾证"}
    response = client.post(reverse("grids:visits"), {**form, "item_code": DISABILITY}, follow=True)
    application = Application.objects.get()
    assert application.agent == g.worker and application.number in response.content.decode()
    response = client.post(reverse("grids:visits"), {**form, "item_code": "NO-SUCH-ITEM"}, follow=True)
    assert "事项编码不存在或已停用" in response.content.decode() and Application.objects.count() == 1

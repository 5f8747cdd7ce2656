"""The catalogue builder: idempotent, realistic, round-trips through the workbook."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from huying.catalogue import selectors
from huying.catalogue.models import Bundle, Material, ReviewStep, ServiceItem
from huying.catalogue.services import catalogue_export, catalogue_import
from huying.catalogue.workbook import licence_code_problem
from huying.licences.types import BUSINESS_LICENCE, CONSTRUCTION_PERMIT, FOOD_BUSINESS_LICENCE

pytestmark = pytest.mark.django_db


def test_demo_services_is_idempotent_and_realistic(world: Any) -> None:
    call_command("demo", "--only", "catalogue", stdout=io.StringIO())
    counts = (ServiceItem.objects.count(), Material.objects.count(), ReviewStep.objects.count(), Bundle.objects.count())
    call_command("demo", "--only", "catalogue", stdout=io.StringIO())
    assert (
        ServiceItem.objects.count(),
        Material.objects.count(),
        ReviewStep.objects.count(),
        Bundle.objects.count(),
    ) == counts
    assert counts[0] >= 100 and counts[3] >= 5
    assert ServiceItem.objects.filter(unit__name="滨州市行政审批服务局").count() > counts[0] / 3
    assert set(ServiceItem.objects.values_list("level", flat=True)) == {"city", "county", "township", "village"}
    # At least ten items review in parallel across departments (two units in one stage).
    multi = {
        row["item_id"]
        for row in ReviewStep.objects.values("item_id", "stage").annotate(units=Count("unit", distinct=True))
        if row["units"] > 1
    }
    assert len(multi) >= 10
    # Every licence type code is well-formed; the results named in the brief carry theirs.
    for code in Material.objects.exclude(licence_type_code="").values_list("licence_type_code", flat=True).distinct():
        assert licence_code_problem(code) is None
    results = set(ServiceItem.objects.values_list("result_licence_type_code", flat=True))
    assert {BUSINESS_LICENCE, FOOD_BUSINESS_LICENCE, CONSTRUCTION_PERMIT} <= results
    food = ServiceItem.objects.get(name="食品经营许可")
    assert (food.legal_days, food.promised_days) == (20, 5)
    assert ServiceItem.objects.filter(promised_days=0).exists()
    assert all(i.promised_days <= i.legal_days for i in ServiceItem.objects.all())
    low_risk = selectors.bundle_plan(Bundle.objects.get(code="jianyi-dixian"))
    assert low_risk.promised_days == 15
    assert any(len(stage) > 1 for stage in low_risk.review_stages)
    kaiban = selectors.bundle_plan(Bundle.objects.get(code="kaiban"))
    assert kaiban.bundle_material_count < kaiban.separate_material_count
    assert selectors.item_search("spjy").filter(name="食品经营许可").exists()
    assert selectors.item_search("kbqy").count() == 0 and selectors.bundle_search("kbqy").count() == 1


def test_demo_catalogue_round_trips_through_excel(world: Any) -> None:
    call_command("demo", "--only", "catalogue", stdout=io.StringIO())
    before = sorted(ServiceItem.objects.values_list("code", "name", "promised_days", "unit__name"))
    materials = Material.objects.count()
    report = catalogue_import(io.BytesIO(catalogue_export()), actor=None)
    assert report.ok, report.errors[:5]
    assert report.updated == len(before) and report.created == 0
    assert sorted(ServiceItem.objects.values_list("code", "name", "promised_days", "unit__name")) == before
    assert Material.objects.count() == materials


def test_if_empty(world: Any) -> None:
    call_command("demo", "--only", "catalogue", stdout=io.StringIO())
    ServiceItem.objects.filter(name="食品经营许可").update(name="改名")
    call_command("demo", "--only", "catalogue", "--if-empty", stdout=io.StringIO())
    assert ServiceItem.objects.filter(name="改名").exists()

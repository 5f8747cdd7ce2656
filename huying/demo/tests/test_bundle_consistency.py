"""Every demo 一件事 asks at intake only for what an applicant holds before the project: nothing that
one of its own items issues (a licence type or a named result), and its merged form asks once."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from huying.catalogue import selectors
from huying.catalogue.models import Bundle

pytestmark = pytest.mark.django_db


def test_no_bundle_asks_at_intake_for_what_its_own_stages_issue(world: Any) -> None:
    call_command("demo", "--only", "catalogue", stdout=io.StringIO())
    bundles = list(Bundle.objects.all())
    assert len(bundles) >= 5
    for bundle in bundles:
        plan = selectors.bundle_plan(bundle)
        issued_types = {i.result_licence_type_code for i in plan.items} - {""}
        issued_names = {i.result_name for i in plan.items} - {""}
        for material in plan.materials:
            assert material.licence_type_code not in issued_types, (bundle.name, material.name)
            assert material.name not in issued_names, (bundle.name, material.name)
        keys = [f.key for f in plan.fields]
        assert len(keys) == len(set(keys)), bundle.name


def test_simple_low_risk_project_asks_for_neither_permit_nor_completion_report(world: Any) -> None:
    call_command("demo", "--only", "catalogue", stdout=io.StringIO())
    plan = selectors.bundle_plan(Bundle.objects.get(code="jianyi-dixian"))
    names = {m.name for m in plan.materials}
    assert not names & {"建筑工程施工许可证", "工程竣工验收报告", "建设工程规划许可证", "联合验收意见书"}
    assert {i.result_name for i in plan.items} >= {"建筑工程施工许可证", "联合验收意见书", "不动产权证书"}

"""The 一件事 merged form asks each thing once: the applicant block answers the applicant's name, code
and phone, and the form fields below never ask for them again; hints help rather than name a type."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from huying.catalogue.tests.factories import build_catalogue

pytestmark = pytest.mark.django_db


def test_bundle_form_asks_each_field_once(world: Any) -> None:
    cat = build_catalogue(world)
    client = Client()
    client.force_login(world.citizen)
    page = client.get(f"/applications/apply/bundle/{cat.bundle.code}/").content.decode()
    form = page[page.index('id="apply-form"') :]
    form = form[: form.index("</form>")]
    names = re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', form)
    assert len(names) == len(set(names))
    for asked_again in ("f_company_name", "f_credit_code", "f_phone", "f_applicant_name", "f_id_number"):
        assert f'name="{asked_again}"' not in page
    assert 'name="f_staff_count"' in page and 'name="f_account_type"' in page
    for raw_hint in (">文本<", ">数字<", ">选项<"):
        assert raw_hint not in page


def test_applicant_block_fills_the_form(world: Any) -> None:
    from huying.applications.models import Application
    from huying.core.validators import uscc_check_char

    cat = build_catalogue(world)
    company = "91371600MA3C12345" + uscc_check_char("91371600MA3C12345")
    client = Client()
    client.force_login(world.citizen)
    response = client.post(
        f"/applications/apply/bundle/{cat.bundle.code}/",
        {
            "applicant_kind": "enterprise",
            "applicant_name": "滨州示例科技有限公司",
            "applicant_code": company,
            "applicant_phone": "13800138999",
            "f_staff_count": "6",
            "f_account_type": "基本存款账户",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    data = Application.objects.get().form_data
    assert data["company_name"] == "滨州示例科技有限公司" and data["credit_code"] == company
    assert data["phone"] == "13800138999"

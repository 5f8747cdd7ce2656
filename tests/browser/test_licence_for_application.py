"""No paper for what is held, in a real browser: the holder shows their ID card in the wallet, the window
clerk verifies the code from the application's page, and the application's material is marked as
provided by e-licence, with the licence identifier."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from huying.accounts.roles import Role
from huying.applications import services as applications
from huying.applications.states import MaterialStatus
from huying.catalogue.tests.factories import build_catalogue
from huying.core.validators import uscc_check_char
from huying.licences import services as licences
from huying.licences import types
from huying.licences.models import LicenceUse
from tests.fixtures import make_user

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPANY = "91371600MA3C12345" + uscc_check_char("91371600MA3C12345")
REPRESENTATIVE_ID = "11010519491231002X"


def test_wallet_scan_marks_the_material(new_page: Any, world: Any, settings: Any, tmp_path: Any) -> None:
    settings.HUYING_LICENCE_KEY_DIR = str(tmp_path / "licence-keys")
    cat = build_catalogue(world)
    clerk_user = make_user("chuangkou", Role.CLERK, cat.shenpi, display_name="窗口小王")
    world.citizen.id_number = REPRESENTATIVE_ID  # 张三, the company's legal representative
    world.citizen.save(update_fields=["id_number"])
    id_card = licences.licence_issue(
        type_code=types.ID_CARD,
        holder_code=REPRESENTATIVE_ID,
        holder_name="张三",
        issuer_name="滨州市公安局",
        issuer_credit_code="11371600MB2854970C",
        valid_from=dt.date(2021, 5, 10),
    )
    application = applications.application_receive(
        actor=clerk_user,
        item=cat.food,
        applicant_kind="enterprise",
        applicant_name="滨州示例科技有限公司",
        applicant_code=COMPANY,
        applicant_phone=world.citizen.phone,
        form_data={"company_name": "滨州示例科技有限公司", "address": "滨城区黄河五路 1 号"},
    )
    material = application.materials.get(key="id_card")
    assert material.status == MaterialStatus.MISSING  # the company holds no ID card: the paper is asked for

    # 1. The holder opens the wallet on a phone and shows the ID card.
    holder = new_page(mobile=True)
    login(holder, "citizen")
    holder.goto("/licences/wallet/")
    holder.locator(f"[data-licence='{id_card.pk}']").get_by_role("link", name="亮证").click()
    holder.wait_for_selector("#qr svg")
    token = holder.locator("#qr").get_attribute("data-token")

    # 2. The clerk opens the application and scans from it: the scanner knows which application.
    clerk = new_page()
    login(clerk, "chuangkou")
    clerk.goto(f"/applications/{application.number}/")
    clerk.click("#verify-link")
    clerk.wait_for_selector("#verify-form")
    assert application.number in clerk.locator("#verify-form .notice").inner_text()
    clerk.fill("input[name=purpose]", "食品经营许可：核验法定代表人身份证")
    clerk.fill("input[name=token]", token)
    clerk.press("input[name=token]", "Enter")
    clerk.wait_for_selector("#verify-result")
    assert "核验通过" in clerk.locator("#verify-result").inner_text()

    # 3. Back on the application, the material is provided by e-licence: no photocopy.
    clerk.click("#back-to-application")
    clerk.wait_for_load_state()
    row = clerk.locator("tr[data-material=id_card]")
    assert row.get_attribute("data-material-status") == MaterialStatus.E_LICENCE
    assert id_card.identifier in row.inner_text()
    screenshot(clerk, "licence-material-provided")
    material.refresh_from_db()
    assert (material.status, material.licence_identifier) == (MaterialStatus.E_LICENCE, id_card.identifier)
    use = LicenceUse.objects.get()
    assert use.application_ref == application.number and use.licence == id_card

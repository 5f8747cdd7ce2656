"""亮证 and 扫码核验 in a real browser: the holder shows a licence on a phone, a window clerk types the
code into the scanner field (as a hardware scanner would), the licence is verified, and the holder
finds the use in their use records."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from huying.accounts.roles import Role
from huying.licences import services, types
from huying.licences.models import LicenceUse
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOLDER_ID = "37160220010315123"


def with_check(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


@pytest.fixture
def licence_world(world: Any, settings: Any, tmp_path: Any, monkeypatch: Any) -> Any:
    from tests.fixtures import make_user

    settings.HUYING_LICENCE_KEY_DIR = str(tmp_path / "licence-keys")
    monkeypatch.delenv("HUYING_LICENCE_SIGNING_KEYS", raising=False)
    hall = org_unit_create(name="滨州市政务服务中心", kind=OrgUnit.Kind.DEPARTMENT, parent=world.city)
    make_user("clerk", Role.CLERK, hall, display_name="刘窗口")
    world.citizen.id_number = with_check(HOLDER_ID)
    world.citizen.save(update_fields=["id_number"])
    licence = services.licence_issue(
        type_code=types.ID_CARD,
        holder_code=world.citizen.id_number,
        holder_name="张三",
        issuer_name="滨州市公安局",
        issuer_credit_code="91110000600037341L",
    )
    return licence


def test_show_scan_and_use_record(new_page: Any, licence_world: Any) -> None:
    licence = licence_world

    # 1. The holder opens the wallet on a phone and shows the licence.
    holder = new_page(mobile=True)
    login(holder, "citizen")
    holder.goto("/licences/wallet/")
    card = holder.locator(f"[data-licence='{licence.pk}']")
    assert "居民身份证" in card.inner_text()
    card.get_by_role("link", name="亮证").click()
    holder.wait_for_load_state()
    qr = holder.locator("#qr")
    assert qr.locator("svg").is_visible()
    token = qr.get_attribute("data-token")
    assert token and licence.holder_code not in token
    assert int(holder.locator("#countdown").inner_text()) <= 60
    screenshot(holder, "licence-show")
    # The page fetches a fresh code by itself before expiry; the button does the same at once.
    holder.click("#refresh")
    expect(holder.locator("#qr")).not_to_have_attribute("data-token", token, timeout=15_000)
    fresh = qr.get_attribute("data-token")
    assert fresh and fresh != token and qr.locator("svg").is_visible()

    # 2. A citizen cannot open the scanner: the page is not there for them (the same 404 as any record not theirs).
    response = holder.goto("/licences/verify/")
    assert response is not None and response.status == 404
    assert "记录不存在或您无权查看" in holder.content()

    # 3. The clerk (own browser context) scans: the scanner gun types the code and presses Enter.
    clerk = new_page()
    login(clerk, "clerk")
    clerk.goto("/licences/verify/?application=BZ2026000001&item=371600-0001")
    clerk.fill("input[name=purpose]", "办理户口迁移，核验申请人身份")
    clerk.fill("input[name=place]", "3号窗口")
    clerk.fill("input[name=token]", token)
    clerk.press("input[name=token]", "Enter")
    clerk.wait_for_load_state()
    result = clerk.locator("#verify-result")
    assert "核验通过" in result.inner_text()
    assert "张*" in result.inner_text() and licence.holder_code not in result.inner_text()
    screenshot(clerk, "licence-verified")
    use = LicenceUse.objects.get()
    assert (use.application_ref, use.item_code, use.verifier.username) == ("BZ2026000001", "371600-0001", "clerk")

    # 4. The same code again is refused, in red.
    clerk.fill("input[name=token]", token)
    clerk.press("input[name=token]", "Enter")
    clerk.wait_for_load_state()
    assert "已被使用" in clerk.locator("#verify-error").inner_text()
    assert LicenceUse.objects.count() == 1

    # 5. The holder sees the use in their records.
    holder.goto("/licences/uses/")
    row = holder.locator(f"[data-use='{use.pk}']")
    assert "办理户口迁移" in row.inner_text() and "滨州市政务服务中心" in row.inner_text()

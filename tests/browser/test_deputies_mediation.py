"""A case in the deputies' mediation room ends in a signed and sealed agreement PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from huying.deputies.models import MediationCase
from huying.deputies.tests.factories import build

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _click(page: Any, selector: str) -> None:
    page.click(selector)
    page.wait_for_load_state()


def test_a_mediation_ends_in_a_signed_sealed_agreement_pdf(new_page: Any, world: Any) -> None:
    build(world)
    page = new_page()
    login(page, "mediator")
    page.goto("/deputies/mediation/")
    page.select_option("#m-category", label="邻里关系")
    page.fill("#m-p1", "刘一")
    page.fill("#m-p1p", "13500135000")
    page.fill("#m-p2", "陈二")
    page.fill("#m-p2p", "13500135001")
    page.fill("#m-facts", "陈二家卫生间漏水，损坏楼下刘一家吊顶。")
    page.fill("#m-claims", "刘一要求赔偿维修费。")
    _click(page, "#register")
    case = MediationCase.objects.get()
    assert "已登记" in page.locator("#status").inner_text()
    _click(page, "#consent-1")
    _click(page, "#consent-2")
    _click(page, "button[value=start]")
    page.fill("#session-note", "双方到场，查看漏水现场，邀请区人大代表田代表参与（双方同意）。")
    _click(page, "button[value=session]")
    page.fill("#a-resp", "陈二对漏水负全部责任。")
    page.fill("#a-agreement", "陈二赔偿刘一吊顶维修费2000元，并于一周内修复防水层。")
    page.fill("#a-perf", "2027年1月31日前在调解室当面支付。")
    _click(page, "button[value=agree]")
    _click(page, "#sign-1")
    _click(page, "#seal")  # not everyone has signed: refused, nothing changes
    assert "签名后才能加盖印章" in page.locator("main").inner_text()
    _click(page, "#sign-2")
    _click(page, "#sign-mediator")
    _click(page, "#seal")
    assert "协议已生效" in page.locator("#status").inner_text()
    case.refresh_from_db()
    assert page.locator("#confirmation-due").inner_text() == f"{case.confirmation_due:%Y-%m-%d}"
    screenshot(page, "deputies-mediation-case")
    response = page.request.get(f"/deputies/mediation/{case.pk}/agreement.pdf")
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    for words in ("人民调解协议书", "陈二赔偿刘一吊顶维修费2000元", "陈二对漏水负全部责任", "生效日期", "吴调解"):
        assert words in text

"""准予 needs the materials opened and an opinion written, on the application's review page.

A reviewer opens the inbox: there is no approve button in the list, only a link to the review page;
there 同意 is disabled and the page lists the copies not yet opened; a forced approval is refused
with the message; after opening each copy the reviewer approves with an opinion, and the 决定意见 is
one line per reviewer, with unit and name.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huying.accounts.roles import Role
from huying.applications import services
from huying.applications.models import Application, MaterialFile, MaterialView
from huying.applications.states import Action, Status
from huying.applications.tests.conftest import CITIZEN_ID
from huying.catalogue.tests.factories import build_catalogue
from tests.fixtures import make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n" + b"0" * 300


def _in_review_with_copies(world: Any) -> Application:
    cat = build_catalogue(world)
    clerk = make_user("chuangkou", Role.CLERK, cat.shenpi, display_name="窗口小王")
    make_user("shenpi_sp", Role.REVIEWER, cat.shenpi, display_name="审批老李")
    citizen = make_user("zhangsan", phone="13800138001", id_number=CITIZEN_ID, display_name="张三")
    app = services.application_receive(
        actor=citizen,
        item=cat.bank,
        channel="online",
        applicant_kind="person",
        applicant_name="张三",
        applicant_code=CITIZEN_ID,
        applicant_phone="13800138001",
        form_data={"company_name": "张三", "phone": "13800138001", "account_type": "个人账户"},
    )
    for key in ("business_licence", "seal"):
        services.material_file_upload(
            actor=citizen, application=app.number, key=key, upload=SimpleUploadedFile(f"{key}.pdf", PDF)
        )
    app = services.application_transition(actor=clerk, application=app.number, action=Action.ACCEPT)
    return services.application_transition(actor=clerk, application=app, action=Action.START_REVIEW)


def test_reviewer_must_open_the_materials_before_approving(new_page: Any, world: Any) -> None:
    app = _in_review_with_copies(world)
    reviewer = new_page()
    login(reviewer, "shenpi_sp")
    reviewer.goto("/applications/review/")
    assert reviewer.locator("#review-table button[value=approve]").count() == 0
    reviewer.locator("#review-table a[data-review]").first.click()
    reviewer.wait_for_selector("#unopened-materials")
    approve = reviewer.locator("form.action-form button[value=approve]").first
    assert approve.is_disabled()
    assert reviewer.locator("#unopened-materials li").count() == 2

    # A page kept open from before (or a crafted post) is refused by the server with the reason.
    reviewer.fill("form.action-form textarea[name=opinion]", "同意。")
    approve.evaluate("button => { button.disabled = false; }")
    approve.click()
    reviewer.wait_for_load_state()
    assert "未查阅" in reviewer.content()
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW

    # Opening each copy is recorded, per reviewer and material.
    for stored in MaterialFile.objects.filter(material__application=app):
        response = reviewer.request.get(f"/applications/{app.number}/files/{stored.pk}/")
        assert response.status == 200
    assert MaterialView.objects.filter(material__application=app).count() == 2
    reviewer.reload()
    assert reviewer.locator("#unopened-materials").count() == 0
    approve = reviewer.locator("form.action-form button[value=approve]").first
    assert approve.is_enabled()
    reviewer.fill("form.action-form textarea[name=opinion]", "材料齐全，符合条件，同意。")
    approve.click()
    reviewer.wait_for_load_state()
    app.refresh_from_db()
    assert app.status == Status.APPROVED
    assert "。；" not in app.opinion and "审批老李：材料齐全，符合条件，同意。" in app.opinion
    assert "审批老李" in reviewer.locator("dd.content-text").first.inner_text()

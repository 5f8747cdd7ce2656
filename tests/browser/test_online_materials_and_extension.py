"""Online application with uploaded materials, then an Art. 42 extension, in a real browser.

A citizen applies on the phone for 银行开户 and uploads a scan of each material from the application's
page (the file inputs belong to forms outside the checklist form, through the ``form`` attribute,
which only a browser resolves); the window clerk accepts on the uploads; the reviewer cannot decide
in time and extends the limit with the head's approval; the citizen sees the extension and its
reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from huying.accounts.roles import Role
from huying.applications.models import Application, MaterialFile
from huying.applications.states import MaterialStatus, Status
from huying.applications.tests.conftest import CITIZEN_ID
from huying.catalogue.tests.factories import build_catalogue
from tests.fixtures import make_user

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_online_upload_scans_accept_and_extend(new_page: Any, world: Any, tmp_path: Path) -> None:
    cat = build_catalogue(world)
    make_user("chuangkou", Role.CLERK, cat.shenpi, display_name="窗口小王")
    make_user("shenpi_sp", Role.REVIEWER, cat.shenpi, display_name="审批老李")
    make_user("zhangsan", phone="13800138001", id_number=CITIZEN_ID, display_name="张三")
    scan = tmp_path / "营业执照.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"0" * 500)
    photo = tmp_path / "公章.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    fake = tmp_path / "病毒.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)

    # 1. The citizen applies on the phone.
    citizen = new_page(mobile=True)
    login(citizen, "zhangsan")
    citizen.goto(f"/applications/apply/item/{cat.bank.code}/")
    assert "上传材料的扫描件或照片" in citizen.content()
    citizen.select_option("select[name=applicant_kind]", "person")
    citizen.fill("input[name=applicant_name]", "张三")
    citizen.fill("input[name=applicant_code]", CITIZEN_ID)
    citizen.fill("input[name=applicant_phone]", "13800138999")
    citizen.fill("input[name=f_account_type]", "个人账户")
    citizen.click("#apply-form button.primary")
    citizen.wait_for_selector("#materials")
    app = Application.objects.get()

    # 2. A renamed program is refused with a clear message; the real scan and photo are taken.
    row = citizen.locator("#materials tr[data-material=business_licence]")
    row.locator("input[type=file]").set_input_files(str(fake))
    row.locator("button").click()
    citizen.wait_for_load_state()
    assert "附件类型不支持" in citizen.content() and not MaterialFile.objects.exists()
    citizen.locator("#materials tr[data-material=business_licence] input[type=file]").set_input_files(str(scan))
    citizen.locator("#materials tr[data-material=business_licence] button").click()
    citizen.wait_for_selector("#materials tr[data-material=business_licence] a.material-file")
    citizen.locator("#materials tr[data-material=seal] input[type=file]").set_input_files(str(photo))
    citizen.locator("#materials tr[data-material=seal] button").click()
    citizen.wait_for_selector("#materials tr[data-material=seal] a.material-file")
    assert set(app.materials.values_list("status", flat=True)) == {MaterialStatus.UPLOADED}
    screenshot(citizen, "online-materials-uploaded")

    # 3. The clerk opens the scan and accepts on the uploads.
    clerk = new_page()
    login(clerk, "chuangkou")
    clerk.goto(f"/applications/{app.number}/")
    href = clerk.locator("#materials tr[data-material=business_licence] a.material-file").get_attribute("href")
    response = clerk.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    clerk.click("button[value=accept]")
    clerk.wait_for_load_state()
    app.refresh_from_db()
    assert app.status == Status.IN_REVIEW

    # 4. The reviewer extends the limit with the head's approval.
    reviewer = new_page()
    login(reviewer, "shenpi_sp")
    reviewer.goto(f"/applications/{app.number}/")
    reviewer.fill("#days", "10")
    reviewer.fill("#approved_by", "王局长")
    reviewer.fill("#note-extend", "需核实开户用途，承诺时限内无法作出决定")
    reviewer.click("#extend-form button")
    reviewer.wait_for_selector("#extension")
    assert "已短信告知申请人" in reviewer.content()
    app.refresh_from_db()
    assert app.extension_days == 10 and app.due_at is not None and app.due_at > timezone.now()

    # 5. The citizen sees it, with the reason.
    citizen.goto(f"/applications/{app.number}/")
    text = citizen.locator("#extension").inner_text()
    assert "王局长" in text and "10" in text and "核实开户用途" in text
    screenshot(citizen, "online-application-extended")

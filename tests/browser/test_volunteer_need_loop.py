"""The demand menu on phones: a resident posts a need, a volunteer whose skills match registers, sees
it suggested and claims it, signs in and out with the QR the resident shows, the organiser confirms
the hours, the resident rates the service, and the volunteer's certificate PDF verifies on the
public page through the link its QR carries."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from huying.volunteers.models import Need
from huying.volunteers.tests.factories import LAT, LON, make_id, organiser, stations

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def at_place(page: Any) -> None:
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": LAT + 0.0005, "longitude": LON})


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def scan(resident: Any, volunteer: Any, need: Need, button: str) -> None:
    resident.goto(f"/volunteers/needs/{need.pk}/")
    resident.click("#show-qr")
    link = resident.locator("#checkin-link").get_attribute("href")
    volunteer.goto(link)
    volunteer.click(button)
    volunteer.wait_for_load_state()


def test_resident_need_claimed_served_rated_and_certified(new_page: Any, world: Any) -> None:
    stations(world)
    organiser(world)
    from tests.fixtures import make_user

    make_user("vol1", phone="13800009999")

    # 1. A resident posts a need from a phone.
    resident = new_page(mobile=True)
    at_place(resident)
    login(resident, "citizen")
    resident.goto("/volunteers/needs/new/")
    resident.fill("#id_title", "独居老人就医陪护")
    resident.check("#skill-elder_care")
    now = timezone.now()
    resident.fill("#id_starts_at", local(now - dt.timedelta(minutes=5)))
    resident.fill("#id_ends_at", local(now + dt.timedelta(hours=2)))
    resident.fill("#id_address", "黄河社区3号楼2单元")
    resident.click("[data-locate]")
    expect(resident.locator("#id_latitude")).not_to_have_value("")
    resident.fill("#id_contact_name", "张三")
    resident.fill("#id_contact_phone", "13800138000")
    resident.click("#need-submit")
    resident.wait_for_load_state()
    need = Need.objects.get()
    assert need.number in resident.locator(".messages[role=status]").inner_text()
    screenshot(resident, "volunteers-1-need")

    # 2. A volunteer registers on the phone, sees the need suggested and claims it.
    volunteer = new_page(mobile=True)
    at_place(volunteer)
    login(volunteer, "vol1")
    volunteer.goto("/volunteers/register/")
    volunteer.fill("#id_real_name", "刘志愿")
    volunteer.fill("#id_id_number", make_id(7))
    volunteer.fill("#id_phone", "13800009999")
    volunteer.check("#skill-elder_care")
    volunteer.check("#id_publish_consent")
    volunteer.click("[data-locate]")
    expect(volunteer.locator("#id_latitude")).not_to_have_value("")
    volunteer.click("#register-submit")
    volunteer.wait_for_load_state()
    suggested = volunteer.locator(".suggested-need", has_text="独居老人就医陪护")
    screenshot(volunteer, "volunteers-2-suggested")
    suggested.locator("a").click()
    volunteer.click("#claim")
    volunteer.wait_for_load_state()
    assert "认领成功" in volunteer.locator(".messages[role=status]").inner_text()

    # 3. Sign in and sign out with the QR the resident shows at the place.
    scan(resident, volunteer, need, "#sign-in")
    screenshot(resident, "volunteers-3-qr")
    assert "签到成功" in volunteer.locator(".messages[role=status]").inner_text()
    scan(resident, volunteer, need, "#sign-out")
    assert "签退成功" in volunteer.locator(".messages[role=status]").inner_text()

    # 4. The organiser confirms the hours, with the reason for the change.
    staff = new_page()
    login(staff, "volorg")
    staff.goto("/volunteers/hours/")
    row = staff.locator(".hours-row", has_text="刘志愿")
    row.locator("input[name=hours]").fill("2")
    row.locator("input[name=reason]").fill("陪同就医往返医院候诊共2小时，以医院挂号单为据")
    row.locator("button[type=submit]").click()
    staff.wait_for_load_state()
    assert "服务时长已确认" in staff.locator(".messages[role=status]").inner_text()

    # 5. The resident rates the service.
    resident.goto(f"/volunteers/needs/{need.pk}/")
    resident.fill("#rate-comment", "非常耐心，谢谢！")
    resident.click("#rate")
    resident.wait_for_load_state()
    assert Need.objects.get().status == "done"

    # 6. The volunteer downloads the certificate; its QR link verifies on the public page.
    volunteer.goto("/volunteers/record/")
    volunteer.click("#request-certificate")
    volunteer.wait_for_load_state()
    screenshot(volunteer, "volunteers-4-record")
    with volunteer.expect_download() as info:
        volunteer.click(".certificate-link")
    reader = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert "刘志愿" in reader.pages[0].extract_text()
    url = reader.pages[0]["/Annots"][0].get_object()["/A"]["/URI"]
    anyone = new_page(mobile=True)
    anyone.goto(url)
    assert "该证明真实有效" in anyone.locator("#verify-result").inner_text()
    assert "2.00" in anyone.locator("body").inner_text()
    screenshot(anyone, "volunteers-5-verified")

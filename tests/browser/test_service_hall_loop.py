"""The service-hall loop in a real browser, across five apps.

A citizen takes a number for 开办企业 at the kiosk; a comprehensive-window clerk calls it and accepts
the bundle (one merged form, one set of materials); the 行政审批服务局 and the 人社局 review in
parallel; the result is issued at the unified window; the citizen rates it 不满意; the unit verifies,
rectifies and answers the rating.
"""

from __future__ import annotations

from typing import Any

import pytest

from huying.accounts.roles import Role
from huying.applications.models import Application, ReviewTask
from huying.applications.states import Status
from huying.catalogue.tests.factories import build_catalogue
from huying.core.validators import uscc_check_char
from huying.halls.models import Hall, Ticket, Window
from huying.ratings.models import Rating, RectificationCase
from tests.fixtures import make_user

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPANY = "91371600MA3C12345" + uscc_check_char("91371600MA3C12345")


def approve_all_rows(page: Any) -> int:
    """Open each task of the reviewer inbox on its review page and approve it there; the number approved."""
    page.goto("/applications/review/")
    approved = 0
    while page.locator("#review-table a[data-review]").count():
        page.locator("#review-table a[data-review]").first.click()
        page.wait_for_load_state()
        form = page.locator("form.action-form:has(button[value=approve])").first
        form.locator("textarea[name=opinion]").fill("材料齐全，符合条件，同意。")
        form.locator("button[value=approve]").click()
        page.wait_for_load_state()
        approved += 1
        page.goto("/applications/review/")
    return approved


def test_number_bundle_parallel_review_issue_bad_rating_answered(new_page: Any, world: Any) -> None:
    cat = build_catalogue(world)  # 开办企业 = 公司设立登记 (审批局) + 单位参保登记 (人社局) + 银行开户 (审批局)
    cat.bundle.review_in_parallel = True
    cat.bundle.save()
    hall = Hall.objects.create(name="滨州市政务服务中心", unit=cat.shenpi)
    window = Window.objects.create(hall=hall, number=3, label="综合受理3", kind=Window.Kind.COMPREHENSIVE)
    make_user("chuangkou", Role.CLERK, cat.shenpi, display_name="窗口小王")
    make_user("shenpi_sp", Role.REVIEWER, cat.shenpi, display_name="审批老李")
    make_user("shenpi_rs", Role.REVIEWER, cat.renshe, display_name="人社审批")

    # 1. The citizen takes a number for the bundle at the kiosk.
    citizen = new_page(mobile=True)
    citizen.goto(f"/hall/{hall.pk}/take/")
    citizen.fill("input[name=phone]", world.citizen.phone)
    citizen.click("button[data-bundle=kaiban]")
    citizen.wait_for_selector("#ticket-number")
    number = citizen.locator("#ticket-number").inner_text().strip()
    assert Ticket.objects.get(number=number).bundle == cat.bundle

    # 2. The clerk calls it and opens one-window acceptance for the bundle from the console.
    clerk = new_page()
    login(clerk, "chuangkou")
    clerk.goto(f"/hall/windows/{window.pk}/")
    clerk.click("button[data-action=call_next]")
    clerk.wait_for_selector("#current-number")
    clerk.click("#accept-link")
    clerk.wait_for_selector("#accept-form")
    assert clerk.locator("#accept-form input[name=ticket]").input_value() == number
    # One merged form: 企业名称 is asked once (in the applicant block) although all three items need it.
    assert clerk.locator("input[name=f_company_name]").count() == 0
    clerk.select_option("select[name=applicant_kind]", "enterprise")
    clerk.fill("input[name=applicant_name]", "滨州示例科技有限公司")
    clerk.fill("input[name=applicant_code]", COMPANY)
    clerk.fill("input[name=applicant_phone]", world.citizen.phone)
    for name, value in {
        "f_staff_count": "6",
        "f_account_type": "基本存款账户",
    }.items():
        clerk.fill(f"input[name={name}]", value)
    for select in clerk.locator("#materials select").all():
        select.select_option("provided")
    screenshot(clerk, "hall-loop-accept")
    clerk.click("#accept-form button[value=accept]")
    clerk.wait_for_load_state()
    application = Application.objects.get()
    assert application.status == Status.IN_REVIEW and application.ticket_number == number
    assert application.materials.count() == 6  # 8 listed item by item: 营业执照 and the ID card asked once

    # 3. Two departments review in parallel: either may go first; the last approval decides.
    tasks = ReviewTask.objects.filter(application=application)
    assert {t.stage for t in tasks} == {1} and {t.unit_id for t in tasks} == {cat.shenpi.pk, cat.renshe.pk}
    renshe = new_page()
    login(renshe, "shenpi_rs")
    assert approve_all_rows(renshe) == 1
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW  # the 审批局 has not decided yet
    shenpi = new_page()
    login(shenpi, "shenpi_sp")
    assert approve_all_rows(shenpi) == 2
    application.refresh_from_db()
    assert application.status == Status.APPROVED

    # 4. 统一出件 at the window.
    clerk.goto("/applications/issue/")
    clerk.locator(f"tr[data-number='{application.number}'] button[value=issue]").click()
    clerk.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Status.ISSUED

    # 5. The citizen finds the application and rates it 不满意.
    login(citizen, "citizen")
    citizen.goto("/applications/mine/")
    citizen.click(f"text={application.number}")
    citizen.click("#rate-link")
    citizen.check("#id_level_2")
    citizen.fill("#id_comment", "营业执照领取时窗口让我等了四十分钟。")
    citizen.click("#rate-submit")
    citizen.wait_for_selector("#bad-rating-notice")
    rating = Rating.objects.get(kind="application", ref=application.number)
    assert rating.level == 2 and rating.rater == world.citizen
    case = RectificationCase.objects.get(rating=rating)

    # 6. The unit verifies, rectifies and answers the rater.
    shenpi.goto("/ratings/cases/")
    shenpi.locator(f"tr[data-ref='{application.number}'] a").first.click()
    shenpi.fill("#id_verify_contact_person", "审批老李")
    shenpi.fill("#id_verify_note", "已电话联系申请人，情况属实：出件窗口午间只开一个。")
    shenpi.click("#action-verify button[data-action=verify]")
    shenpi.wait_for_load_state()
    shenpi.fill("#id_rectify_note", "午间增开一个出件窗口，出件等候不超过十五分钟。")
    shenpi.click("#action-rectify button[data-action=rectify]")
    shenpi.wait_for_load_state()
    shenpi.fill("#id_answer_note", "您反映的出件等候问题已整改：午间增开出件窗口。感谢监督。")
    shenpi.click("#action-answer button[data-action=answer]")
    shenpi.wait_for_load_state()
    assert shenpi.locator("#case-status").get_attribute("data-status") == "answered"
    screenshot(shenpi, "hall-loop-rectification")
    case.refresh_from_db()
    assert case.status == "answered"

"""好差评 by the person served (国办发〔2019〕51号: 现场服务"一次一评"), in a real browser at a phone's size.

A walk-in citizen takes a number at the kiosk with a phone number, is served and finished at window 5,
gets the SMS link (read from the outbox the console backend keeps) and rates without an account; the
rating is recorded with source 短信. The clerk who served cannot rate his own service, neither by the
link nor by the staff entry page. The window's rating device showed the visit for the person to rate,
and shows nothing once it is rated.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from huying.accounts.roles import Role
from huying.core.notify import sms_outbox
from huying.halls.models import Hall, Ticket, Window
from huying.halls.states import Status
from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create
from huying.ratings.models import Rating
from huying.ratings.states import Source
from tests.fixtures import make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13900005555"


def test_walk_in_citizen_rates_by_sms_link_and_the_clerk_cannot(new_page: Any, world: Any) -> None:
    shenpi = org_unit_create(name="滨州市行政审批服务局", kind=OrgUnit.Kind.DEPARTMENT, parent=world.city)
    hall = Hall.objects.create(name="滨州市政务服务中心", unit=shenpi)
    window = Window.objects.create(hall=hall, number=5, label="综合受理5", kind=Window.Kind.COMPREHENSIVE)
    make_user("chuangkou1", Role.CLERK, shenpi, display_name="窗口甲")

    # 1. A walk-in citizen takes a number on the phone-sized kiosk page, giving a phone number.
    citizen = new_page(mobile=True)
    citizen.goto(f"/hall/{hall.pk}/take/")
    citizen.fill("input[name=phone]", PHONE)
    citizen.click("#take-consult")
    citizen.wait_for_selector("#ticket-number")
    ticket = Ticket.objects.get()

    # 2. The clerk calls, serves and finishes the visit.
    clerk = new_page()
    login(clerk, "chuangkou1")
    clerk.goto(f"/hall/windows/{window.pk}/")
    clerk.click("button[data-action=call_next]")
    clerk.wait_for_selector("button[data-action=start]")
    clerk.click("button[data-action=start]")
    clerk.wait_for_selector("button[data-action=finish]")
    clerk.click("button[data-action=finish]")
    clerk.wait_for_selector("button[data-action=call_next]")
    ticket.refresh_from_db()
    assert ticket.status == Status.DONE

    # The tablet facing the citizen (the window's rating device) offers this visit.
    device = new_page(mobile=True)
    device.goto(clerk.locator("#device-link").get_attribute("href"))
    device.wait_for_selector("#rate-form")
    assert ticket.number in device.locator("#rate-act").inner_text()

    # 3. The ticket page tells the citizen how to rate: no login page on the way.
    citizen.reload()
    assert "139****5555" in citizen.locator("#rate-sms").inner_text()
    assert citizen.locator("#rate-how a[href*='/accounts/login/'], #rate-link").count() == 0

    # 4. The SMS with the link went to the phone given at the kiosk.
    texts = [text for phone, text in sms_outbox if phone == PHONE and "/ratings/r/" in text]
    assert texts, list(sms_outbox)
    path = re.search(r"(/ratings/r/[^/\s]+/)", texts[-1]).group(1)  # type: ignore[union-attr]

    # 5. The clerk who served cannot rate his own service: not by the link, not as staff entry.
    clerk.goto(path)
    assert "不能评价本人办理" in clerk.locator("#rate-error").inner_text()
    clerk.goto(f"/ratings/rate/?kind=window_visit&ref={ticket.public_id}")
    assert "不能评价本人办理" in clerk.locator("#rate-error").inner_text()
    assert clerk.locator("#rate-form").count() == 0
    assert not Rating.objects.exists()

    # 6. The citizen opens the link, without logging in, and rates.
    citizen.goto(path)
    assert "短信" in citizen.locator("#rate-source").inner_text()
    citizen.locator("label[for=id_level_5]").click()
    citizen.fill("#id_comment", "窗口办理很快，谢谢。")
    citizen.click("#rate-submit")
    citizen.wait_for_selector("#already-rated")
    width = citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    rating = Rating.objects.get(kind="window_visit", ref=ticket.public_id)
    assert (rating.level, rating.source, rating.entered_by, rating.rater_phone) == (5, Source.SMS, None, PHONE)

    # 7. The device has nothing left to rate; the link does not rate twice.
    device.reload()
    device.wait_for_selector("#device-idle")
    citizen.goto(path)
    assert citizen.locator("#rate-form").count() == 0
    assert Rating.objects.count() == 1

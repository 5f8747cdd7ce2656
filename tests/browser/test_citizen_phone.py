"""Every page a citizen reaches fits a 360 px phone, and the progress page says what was done in plain
words without the hotline's internals.

The citizen holds an ID card in the wallet, has an application with an e-licence material (whose long
identifier once set the page's width), an appeal the hotline dispatched with instructions to the unit,
and a queue ticket; the test walks the menu, the home page's tiles and the pages they lead to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from huying.accounts.roles import Role
from huying.appeals import services as appeals
from huying.appeals.states import Action, AppealType, Channel
from huying.applications import services as applications
from huying.catalogue.models import ServiceItem
from huying.catalogue.tests.factories import add_materials, build_catalogue, make_item
from huying.halls import services as halls
from huying.halls.models import Hall, Window
from huying.licences import services as licences
from huying.licences import types
from huying.licences.types import ID_CARD
from tests.fixtures import make_user

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITIZEN_ID = "11010519491231002X"
STAFF_NOTE = "请城管局务必今日到场，勿与诉求人争执"
SMART_NOTE = "智能派单：置信度 100%，模型 tfidf-v3"
CALL_NOTE = "电话联系诉求人，其情绪激动"


def _city(world: Any, settings: Any, tmp_path: Any) -> dict[str, str]:
    settings.HUYING_LICENCE_KEY_DIR = str(tmp_path / "licence-keys")
    cat = build_catalogue(world)
    clerk = make_user("chuangkou", Role.CLERK, cat.shenpi, display_name="窗口小王")
    world.citizen.id_number = CITIZEN_ID
    world.citizen.save(update_fields=["id_number"])
    id_card = licences.licence_issue(
        type_code=types.ID_CARD,
        holder_code=CITIZEN_ID,
        holder_name="张三",
        issuer_name="滨州市公安局",
        issuer_credit_code="11371600MB2854970C",
        valid_from=dt.date(2021, 5, 10),
    )
    item = make_item(
        "11371600MB2853999X000012990005",
        "灵活就业人员参保登记",
        cat.renshe,
        item_type=ServiceItem.ItemType.PUBLIC_SERVICE,
        applicant_kind=ServiceItem.ApplicantKind.PERSON,
    )
    add_materials(item, ("id_card", "居民身份证（本人）", ID_CARD), ("employment", "灵活就业登记表", ""))
    application = applications.application_receive(
        actor=clerk,
        item=item,
        applicant_kind="person",
        applicant_name="张三",
        applicant_code=CITIZEN_ID,
        applicant_phone=world.citizen.phone,
        applicant_user=world.citizen,
    )
    intake = appeals.appeal_submit(
        actor=world.citizen,
        citizen=world.citizen,
        channel=Channel.WEB,
        appeal_type=AppealType.COMPLAINT,
        title="夜间施工噪音扰民",
        content="黄河五路工地每晚十一点后仍在施工，噪音很大。",
        requester_name="张三",
        requester_phone=world.citizen.phone,
        category=world.cat_noise,
        auto_dispatch=False,
    )
    appeal = appeals.appeal_transition(
        actor=world.operator, appeal=intake.appeal.pk, action=Action.ACCEPT, note=CALL_NOTE
    )
    appeals.appeal_transition(
        actor=world.operator,
        appeal=appeal,
        action=Action.DISPATCH,
        lead_unit=world.urban,
        note=f"{SMART_NOTE}；{STAFF_NOTE}",
    )
    hall = Hall.objects.create(name="滨州市政务服务中心", unit=cat.shenpi)
    Window.objects.create(hall=hall, number=1, label="综合1", kind=Window.Kind.COMPREHENSIVE)
    ticket = halls.ticket_take(hall=hall, item=cat.insurance, phone=world.citizen.phone, user=world.citizen)
    return {
        "application": f"/applications/{application.number}/",
        "progress": f"/appeals/{appeal.pk}/progress/",
        "ticket": f"/hall/tickets/{ticket.public_id}/",
        "take": f"/hall/{hall.pk}/take/",
        "item": f"/services/items/{cat.food.code}/",
        "bundle": f"/services/bundles/{cat.bundle.code}/",
        "apply": f"/applications/apply/item/{cat.food.code}/",
        "apply_bundle": f"/applications/apply/bundle/{cat.bundle.code}/",
        "licence": f"/licences/{id_card.pk}/show/",
        "authorisations": f"/licences/{id_card.pk}/authorisations/",
        "licence_uses": "/licences/uses/",
        "items": "/services/items/",
        "bundles": "/services/bundles/",
    }


def _width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_every_citizen_page_fits_360_px(new_page: Any, world: Any, settings: Any, tmp_path: Any) -> None:
    pages = _city(world, settings, tmp_path)
    page = new_page(mobile=True)
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "citizen")
    page.goto("/")
    linked = page.eval_on_selector_all(
        ".mainnav a, .home-actions a, .footnav a", "links => links.map(a => a.getAttribute('href'))"
    )
    addresses = ["/", *dict.fromkeys(h for h in linked if h and h.startswith("/")), *pages.values()]
    addresses += ["/appeals/new/", "/appeals/track/", "/appeals/mine/", "/applications/mine/", "/licences/wallet/"]
    too_wide = {}
    for address in dict.fromkeys(addresses):
        page.goto(address)
        page.wait_for_load_state()
        if _width(page) > 360:
            too_wide[address] = _width(page)
    page.goto(pages["application"])
    screenshot(page, "phone-360-application")
    box = page.locator("#materials button").first.bounding_box()
    page.goto(pages["progress"])
    screenshot(page, "phone-360-progress")
    assert not too_wide, f"pages wider than 360 px: {too_wide}"
    assert box is not None and box["x"] + box["width"] <= 360, "the upload button is off-screen"


def test_progress_page_shows_no_staff_internals(new_page: Any, world: Any, settings: Any, tmp_path: Any) -> None:
    pages = _city(world, settings, tmp_path)
    page = new_page(mobile=True)
    login(page, "citizen")
    page.goto(pages["progress"])
    text = page.locator("main").inner_text()
    for internal in ("置信度", "tfidf", "模型", STAFF_NOTE, CALL_NOTE, "智能派单", "滨州市城市管理局"):
        assert internal not in text, internal
    assert "已转市城管局办理" in text


def test_bundle_form_asks_each_thing_once(new_page: Any, world: Any, settings: Any, tmp_path: Any) -> None:
    pages = _city(world, settings, tmp_path)
    page = new_page(mobile=True)
    login(page, "citizen")
    page.goto(pages["apply_bundle"])
    names = page.eval_on_selector_all(
        "#apply-form input:not([type=hidden]), #apply-form select, #apply-form textarea",
        "fields => fields.map(f => f.name)",
    )
    assert len(names) == len(set(names)), names
    assert not {"f_company_name", "f_credit_code", "f_phone", "f_applicant_name", "f_id_number"} & set(names)
    hints = page.locator("#apply-form .hint").all_inner_texts()
    assert not {"文本", "数字", "选项"} & {h.strip() for h in hints}

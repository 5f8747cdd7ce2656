"""The public notice board (村务公开栏) on a phone, and printed to PDF from Chromium for the physical board."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from huying.community import services
from huying.community.tests.factories import village
from huying.community.tests.helpers import hold

from .conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FINANCE = "\n".join(
    f"{i}. 2026年11月第{i}笔：村道维修材料费 1,{i:03d}.00 元（经手人：王文书，审核：赵监委）" for i in range(1, 41)
)


def _publish(v: Any, publication: Any) -> None:
    for actor, action in ((v.staff, "submit"), (v.supervisor, "pass"), (v.staff, "approve"), (v.staff, "publish")):
        publication.refresh_from_db()
        services.publication_act(actor=actor, publication_id=publication.pk, version=publication.version, action=action)


def test_the_board_reads_on_a_phone_and_prints_to_pdf(new_page: Any, world: Any) -> None:
    v = village(world)
    topic = services.topic_raise(actor=v.staff, unit=v.unit, title="硬化村北生产路", text="村北生产路雨天泥泞。")
    topic = services.topic_accept(actor=v.staff, topic_id=topic.pk, version=topic.version)
    hold(v, topic, present=5, yes=5, option="硬化村北生产路800米")
    hold(v, topic, present=6, yes=5, option="同意硬化村北生产路800米，预算12万元")
    _publish(v, topic.publications.get())
    _publish(v, services.publication_create(
        actor=v.staff, unit=v.unit, item_code="finance", title="2026年11月村级财务收支明细", body=FINANCE
    ))  # fmt: skip
    services.member_appraisal_record(
        actor=v.staff, member_id=v.committees.members.first().pk, year=2026, competent=18, fairly=2, incompetent=0
    )

    for width in (360, 390):
        phone = new_page(mobile=True)
        phone.set_viewport_size({"width": width, "height": 800})
        phone.goto("/community/board/dongguan/")
        board = phone.locator(".village-board")
        assert "硬化村北生产路" in board.inner_text() and "2026年11月村级财务收支明细" in board.inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the phone
        screenshot(phone, f"community-board-{width}")

    printer = new_page()
    printer.goto("/community/board/dongguan/")
    printer.emulate_media(media="print")
    assert not printer.locator(".topbar").is_visible() and not printer.locator(".vb-foot").is_visible()
    pdf = printer.pdf(format="A4", print_background=True)
    (ARTIFACTS / "community-board.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert pdf.startswith(b"%PDF") and len(reader.pages) >= 2  # forty finance lines run over a page
    for expected in ("村务公开栏", "硬化村北生产路", "第40笔", "民主评议结果"):
        assert expected in text.replace(" ", ""), expected
    assert "打印公开栏" not in text and "登录" not in text  # the page's buttons and menus are not printed

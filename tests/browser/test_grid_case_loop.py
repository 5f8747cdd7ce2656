"""A grid worker's day on a phone: households due for a visit, a finding turned into an appeal, a
随手拍 with a photo that reaches the hotline on the grid channel, the unit's reply verified on site
with a photo (closed), and a second event that fails verification and goes back to the unit."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from huying.appeals.models import Appeal, Attachment
from huying.appeals.states import Channel, Status
from huying.grids import services
from huying.grids.models import VisitFinding
from huying.grids.spatial import grid_index_invalidate
from huying.grids.tests.factories import AREA, build, make_id, register_xlsx

from .conftest import login, screenshot
from .test_appeal_loop import act, status_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_file(name: str) -> dict[str, Any]:
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), (120, 140, 90)).save(buffer, "JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def report(page: Any, text: str, category: int) -> Appeal:
    page.goto("/grids/report/")
    page.set_input_files("#id_photo", photo_file("IMG_2041.jpg"))
    page.fill("#id_latitude", "37.005")
    page.fill("#id_longitude", "118.005")
    page.select_option("#id_category", value=str(category))
    page.fill("#id_text", text)
    page.click("#report-submit")
    done = page.locator("#report-status .ok")
    done.wait_for()
    number = done.inner_text().split("工单号")[1].strip(" 。")
    return Appeal.objects.get(number=number)


def verify(page: Any, appeal: Appeal, action: str, note: str) -> None:
    page.goto("/grids/cases/")
    form = page.locator(f"#case-{appeal.pk}-{action}")
    if action == "verify_pass":
        form.locator("input[type=file]").set_input_files(photo_file("after.jpg"))
    form.locator("textarea[name=note]").fill(note)
    form.locator(f"button[data-action={action}]").click()
    page.wait_for_load_state()


def dispatch_and_reply(operator: Any, unit: Any, appeal: Appeal, world: Any, reply: str) -> None:
    operator.goto(f"/appeals/{appeal.pk}/")
    assert str(Channel.GRID.label) in operator.locator("body").inner_text()
    act(operator, appeal, "accept")
    act(operator, appeal, "dispatch", note="请尽快到场处置。", lead_unit=str(world.urban.pk))
    assert status_of(appeal) == Status.DISPATCHED
    act(unit, appeal, "sign")
    act(unit, appeal, "reply", note=reply)


def test_grid_worker_visit_report_and_on_site_verification(new_page: Any, world: Any) -> None:
    grid_index_invalidate()
    g = build(world)
    rows = [
        [
            AREA + "001",
            "0001",
            "黄河路1号",
            "13800000001",
            "",
            "高龄独居老人",
            "赵岱禄",
            "户主",
            make_id(1, "19460101"),
            "",
        ]
    ]
    assert services.households_import(register_xlsx(rows), actor=None).ok

    worker = new_page(mobile=True)
    login(worker, "zhaofeng")
    # 1. Households due for a visit; a visit whose finding becomes an appeal.
    worker.goto("/grids/visits/")
    card = worker.locator(".due-household", has_text="黄河路1号")
    card.locator("summary").click()
    card.locator("textarea[name=summary]").fill("老人独居，行动不便。")
    card.locator("select[name=finding_category]").select_option("livelihood")
    card.locator("textarea[name=finding_text]").fill("脑梗后遗症，需要办理残疾证。")
    card.locator("input[name=to_appeal]").check()
    card.locator("button[type=submit]").click()
    worker.wait_for_load_state()
    finding = VisitFinding.objects.get()
    assert finding.appeal is not None and finding.appeal.number in worker.locator(".messages[role=status]").inner_text()
    screenshot(worker, "grid-1-visit")

    # 2. 随手拍 with a photo: on the grid channel, in the worker's grid, the photo made small.
    first = report(worker, "黄河路3号门前井盖破损，行人有跌落危险。", world.cat_road.pk)
    assert first.channel == Channel.GRID and first.grid_code == g.west.code
    with Image.open(Attachment.objects.get(appeal=first).file) as stored:
        assert max(stored.size) <= 1600
    screenshot(worker, "grid-2-report")

    # 3. The hotline dispatches it; the unit replies; it waits for the worker's check on site.
    operator, unit = new_page(), new_page()
    login(operator, "operator")
    login(unit, "urban")
    dispatch_and_reply(
        operator,
        unit,
        first,
        world,
        "经现场查看，黄河路3号门前井盖破损属实，已于当日更换新井盖并加固，行人通行恢复安全。",
    )
    assert status_of(first) == Status.VERIFYING

    # 4. The worker checks on site with a photo: closed.
    verify(worker, first, "verify_pass", "现场核查，井盖已更换牢固。")
    assert status_of(first) == Status.CLOSED
    screenshot(worker, "grid-3-verified")

    # 5. A second event is not fixed: verification fails and it goes back to the unit.
    second = report(worker, "黄河路5号路灯连续三晚不亮。", world.cat_road.pk)
    dispatch_and_reply(
        operator, unit, second, world, "经现场查看，黄河路5号路灯线路老化，已更换灯具和线路，路灯恢复照明。"
    )
    verify(worker, second, "verify_fail", "晚上复查，路灯仍不亮。")
    assert status_of(second) == Status.HANDLING
    unit.goto("/appeals/inbox/")
    assert str(second.number) in unit.locator("body").inner_text()

"""The requester's history: what was done, in plain words made from codes, and what was said to them;
never the hotline's instructions, call notes or smart dispatch's confidence, on the page or the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from huying.appeals import services
from huying.appeals.api.serializers.output import PublicAppealSerializer
from huying.appeals.states import Action, AppealType, Channel

pytestmark = pytest.mark.django_db

INSTRUCTION = "请城管局务必今日到场，勿与诉求人争执"
CONFIDENCE = "智能派单：置信度 100%，模型 tfidf-v3"
CALL_NOTE = "电话联系诉求人，其情绪激动"
REPLY = "已责令施工单位停止夜间施工。"


def _dispatched(world: Any) -> Any:
    intake = services.appeal_submit(
        actor=world.citizen,
        citizen=world.citizen,
        channel=Channel.WEB,
        appeal_type=AppealType.COMPLAINT,
        title="夜间施工噪音扰民",
        content="黄河五路工地每晚十一点后仍在施工。",
        requester_name="张三",
        requester_phone=world.citizen.phone,
        category=world.cat_noise,
        auto_dispatch=False,
    )
    appeal = services.appeal_transition(
        actor=world.operator, appeal=intake.appeal.pk, action=Action.ACCEPT, note=CALL_NOTE
    )
    appeal = services.appeal_transition(
        actor=world.operator,
        appeal=appeal,
        action=Action.DISPATCH,
        lead_unit=world.urban,
        note=f"{CONFIDENCE}；{INSTRUCTION}",
    )
    appeal = services.appeal_transition(actor=world.handler, appeal=appeal, action=Action.SIGN)
    return services.appeal_transition(actor=world.handler, appeal=appeal, action=Action.REPLY, note=REPLY)


def _assert_public(text: str) -> None:
    for internal in (INSTRUCTION, "置信度", "tfidf", CALL_NOTE, "智能派单", "滨州市城市管理局"):
        assert internal not in text, internal
    assert "已转市城管局办理" in text and "市城管局已签收" in text and REPLY in text


def test_progress_page_and_public_api_show_no_staff_notes(world: Any) -> None:
    appeal = _dispatched(world)
    client = Client()
    client.force_login(world.citizen)
    page = client.get(f"/appeals/{appeal.pk}/progress/").content.decode()
    _assert_public(page[page.index('id="timeline"') :])
    api = PublicAppealSerializer(appeal).data
    _assert_public(" ".join(str(e["note"]) for e in api["timeline"]))

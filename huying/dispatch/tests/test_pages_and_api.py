"""Smart dispatch through its pages and its API: access, bad input, the key-problem loop."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from huying.appeals import services as appeal_services
from huying.appeals.models import Appeal
from huying.appeals.states import Action, Status
from huying.appeals.tests.factories import appeal_in, submit
from huying.dispatch.models import JointMeeting, KeyProblem

pytestmark = pytest.mark.django_db

IRRIGATION = "村里机井灌溉用电按商业电价收费，每度电比农业电价贵很多，浇一次地要多花两百元，请核实电价"


VILLAGE = "滨城区杨柳雪镇大杨村"


def _cluster(world: Any, n: int = 3) -> list[Appeal]:
    out = []
    for i in range(n):
        appeal = submit(
            world, content=IRRIGATION + "。" * i, phone=f"1390000000{i}", division=world.bincheng, address=VILLAGE
        )
        out.append(appeal_services.appeal_transition(actor=world.operator, appeal=appeal, action=Action.ACCEPT))
    return out


@pytest.mark.parametrize(
    ("url_name", "allowed", "refused"),
    [
        ("dispatch:hot_issues", ["supervisor", "operator"], ["handler", "citizen"]),
        ("dispatch:key_problems", ["supervisor"], ["operator", "handler", "citizen"]),
        ("dispatch:key_problem_new", ["supervisor"], ["operator", "handler", "citizen"]),
    ],
)
def test_pages_by_role(client: Client, world: Any, url_name: str, allowed: list[str], refused: list[str]) -> None:
    url = reverse(url_name)
    assert client.get(url).status_code == 302
    for who in allowed:
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 200, who
    for who in refused:
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 404, who


def test_hot_issue_becomes_a_key_problem_that_closes_its_appeals(client: Client, world: Any) -> None:
    appeals = _cluster(world)
    submit(world, content="小区门口道路有坑，请修补", phone="13911111111")
    client.force_login(world.supervisor)
    page = client.get(reverse("dispatch:hot_issues")).content.decode()
    assert 'id="hot-1"' in page and all(a.number in page for a in appeals)
    assert f"地点：{VILLAGE}" in page

    new_url = reverse("dispatch:key_problem_new")
    form = client.get(new_url, {"appeal": [a.pk for a in appeals], "title": "机井电价"}).content.decode()
    assert all(f'value="{a.pk}"' in form for a in appeals)
    bad = client.post(new_url, {"title": "", "appeal": [a.pk for a in appeals]})
    assert bad.status_code == 400 and "请填写问题名称" in bad.content.decode() and KeyProblem.objects.count() == 0
    created = client.post(
        new_url,
        {
            "title": "机井灌溉电价",
            "lead_unit": world.urban.pk,
            "joint_units": [world.street.pk],
            "appeal": [a.pk for a in appeals],
        },
    )
    problem = KeyProblem.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse("dispatch:key_problem", args=[problem.pk])

    board = client.get(reverse("appeals:board")).content.decode()
    assert 'id="section-key_problems"' in board and "机井灌溉电价" in board and "0/3 件已办结" in board

    meeting_url = reverse("dispatch:key_problem_meeting", args=[problem.pk])
    missing = client.post(meeting_url, {"held_on": "2026-11-20", "attendees": "", "findings": "", "decision": ""})
    assert missing.status_code == 400 and "请填写参会单位和人员" in missing.content.decode()
    assert (
        client.post(
            meeting_url,
            {
                "held_on": "2026-11-20",
                "attendees": "供电公司、农业农村局",
                "findings": "按商业电价计费",
                "decision": "改按农业电价",
            },
        ).status_code
        == 302
    )
    assert JointMeeting.objects.filter(key_problem=problem).count() == 1

    reply_url = reverse("dispatch:key_problem_reply", args=[problem.pk])
    assert client.post(reply_url, {"reply": "", "version": problem.version}).status_code == 400
    done = client.post(
        reply_url, {"reply": "经联席会议核实，已改按农业排灌电价并退还差价。", "version": problem.version}
    )
    assert done.status_code == 302
    assert set(Appeal.objects.filter(pk__in=[a.pk for a in appeals]).values_list("status", flat=True)) == {
        Status.CLOSED
    }
    # The second click of a double submit is told, and changes nothing.
    again = client.post(reply_url, {"reply": "再答复一次", "version": problem.version})
    assert again.status_code == 409 and "已被他人办结或修改" in again.content.decode()
    problem.refresh_from_db()
    assert problem.reply_text.startswith("经联席会议核实")


def test_repeat_caller_orders_are_offered_by_phone(client: Client, world: Any) -> None:
    first = appeal_in(world, Status.HANDLING)
    client.force_login(world.supervisor)
    page = client.get(reverse("dispatch:key_problem_new"), {"phone": first.requester_phone}).content.decode()
    assert first.number in page


def test_detail_page_offers_similar_open_appeals_for_merging(client: Client, world: Any) -> None:
    lead, _other, new = (*_cluster(world, 2), submit(world, content=IRRIGATION + "！！", phone="13922222222"))
    client.force_login(world.operator)
    page = client.get(reverse("appeals:detail", args=[new.pk])).content.decode()
    assert 'id="similar-appeals"' in page and lead.number in page
    merged = client.post(
        reverse("appeals:act", args=[new.pk]), {"action": "merge", "merge_into": lead.number, "version": new.version}
    )
    assert merged.status_code == 302
    new.refresh_from_db()
    assert new.status == Status.MERGED and new.merged_into == lead


def test_workbench_category_suggestion(client: Client, world: Any) -> None:
    client.force_login(world.operator)
    url = reverse("appeals:suggest_category")
    page = client.post(url, {"content": "楼下工地夜间施工噪音太大"}).content.decode()
    assert f'data-pick-category="{world.cat_noise.pk}"' in page and "按派单目录关键词" in page
    assert client.post(url, {"content": "短"}).content.decode().strip() == ""
    client.force_login(world.handler)
    assert client.post(url, {"content": "楼下工地夜间施工噪音太大"}).status_code == 404


def test_api(world: Any) -> None:
    appeals = _cluster(world)
    api = APIClient()
    api.force_authenticate(world.operator)
    suggestion = api.post("/api/v1/dispatch/suggest/", {"text": "工地夜间施工噪音扰民"}, format="json").json()
    assert suggestion["category"] == world.cat_noise.pk and suggestion["unit"] == world.urban.pk
    assert suggestion["source"] == "keywords" and len(suggestion["alternatives"]) >= 1
    bad = api.post("/api/v1/dispatch/suggest/", {"text": ""}, format="json")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    similar = api.get(f"/api/v1/dispatch/appeals/{appeals[2].pk}/similar/").json()
    assert {row["number"] for row in similar} == {appeals[0].number, appeals[1].number}
    assert api.get("/api/v1/dispatch/appeals/999999/similar/").status_code == 404
    hot = api.get("/api/v1/dispatch/hot-issues/").json()
    assert hot[0]["size"] == 3 and hot[0]["address"] == VILLAGE
    # Key problems are for supervisors.
    body = {"title": "机井电价", "lead_unit": world.urban.pk, "appeals": [a.pk for a in appeals]}
    assert api.post("/api/v1/dispatch/key-problems/", body, format="json").status_code == 403
    api.force_authenticate(world.supervisor)
    assert api.post("/api/v1/dispatch/key-problems/", {**body, "lead_unit": 999999}, format="json").status_code == 400
    created = api.post("/api/v1/dispatch/key-problems/", body, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    meeting = {"held_on": "2026-11-20", "attendees": "供电公司", "findings": "电价执行错误", "decision": "更正电价"}
    assert api.post(f"/api/v1/dispatch/key-problems/{pk}/meetings/", meeting, format="json").status_code == 201
    result = api.post(f"/api/v1/dispatch/key-problems/{pk}/reply/", {"reply": "已更正电价并退还差价。"}, format="json")
    assert result.status_code == 200 and sorted(result.json()["closed"]) == sorted(a.number for a in appeals)
    again = api.post(f"/api/v1/dispatch/key-problems/{pk}/reply/", {"reply": "再次答复"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "changed_meanwhile"
    api.force_authenticate(world.citizen)
    assert api.post("/api/v1/dispatch/suggest/", {"text": "噪音"}, format="json").status_code == 403


def test_admin_button_trains_a_model_in_the_background_and_rollback_activates_an_older_one(
    client: Client, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from huying.dispatch.models import ClassifierModel
    from huying.dispatch.tests.test_services import closed_history

    admin = world.operator.__class__.objects.create_superuser("root", password="pass-1234-huying")
    client.force_login(admin)
    changelist = reverse("admin:dispatch_classifiermodel_changelist")
    assert 'id="train-classifier"' in client.get(changelist).content.decode()
    train = reverse("admin:dispatch_classifiermodel_train")
    # The task is enqueued when the request commits; the test settings then run it at once.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(train)  # too little history: the task says so and nothing is stored
    assert ClassifierModel.objects.count() == 0
    closed_history(world)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(train)
    first, second = ClassifierModel.objects.order_by("pk")
    assert second.is_active and not first.is_active
    response = client.post(changelist, {"action": "activate", "_selected_action": [first.pk]}, follow=True)
    assert "已启用模型" in response.content.decode()
    first.refresh_from_db()
    assert first.is_active and not ClassifierModel.objects.get(pk=second.pk).is_active

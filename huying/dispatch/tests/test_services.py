"""Smart dispatch through its services: suggestion, learning, auto-dispatch, near duplicates, key problems."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from huying.accounts.selectors import actor_for
from huying.appeals import services as appeal_services
from huying.appeals.models import Appeal, AppealEvent, Category
from huying.appeals.states import Action, Channel, Status
from huying.appeals.tests.factories import appeal_in, submit
from huying.core.errors import ConcurrentModification, PermissionDenied, ValidationFailed
from huying.dispatch import classifier, dedup, services
from huying.dispatch.models import (
    AppealFingerprint,
    ClassifierModel,
    DispatchSuggestion,
    FingerprintPending,
    KeyProblem,
)

pytestmark = pytest.mark.django_db

NOISE = [
    "小区旁边工地夜间施工噪音太大，晚上十一点还在打桩，影响休息",
    "广场舞音响声音太大，噪音扰民，每天晚上跳到十点",
    "楼下饭店油烟机噪音很大，夜里一直响，睡不着觉",
    "附近KTV夜间噪音扰民，凌晨还在唱歌",
    "建筑工地凌晨施工，机器轰鸣噪音严重扰民",
]
ROAD = [
    "路面有个大坑，车辆经过很危险，请尽快修补道路",
    "人行道地砖破损翘起，老人容易摔倒，道路需要维修",
    "主干道井盖周围路面塌陷，形成深坑，道路破损严重",
    "道路中间裂缝越来越大，下雨积水，路面坑洼不平",
    "公交站旁道路破损，坑洼很多，电动车经常颠簸摔倒",
]


def _train_model(world: Any) -> ClassifierModel:
    """A real model trained on a small synthetic history (labels are category ids, as in production)."""
    texts = [t + suffix for t in NOISE for suffix in ("", "，请处理", "，希望管一管", "。")]
    labels = [str(world.cat_noise.pk)] * len(texts)
    road = [t + suffix for t in ROAD for suffix in ("", "，请处理", "，希望管一管", "。")]
    texts += road
    labels += [str(world.cat_road.pk)] * len(road)
    model = classifier.train(texts, labels)
    return ClassifierModel.objects.create(
        n_samples=len(texts), n_classes=2, is_active=True, threshold=0.5, payload=services.model_to_bytes(model)
    )


def closed_history(world: Any, per_category: int = 120) -> None:
    """A year of closed appeals in two categories: training data (rows, not a test of the loop)."""
    now = timezone.now()
    rows = [
        Appeal(
            channel=Channel.HOTLINE,
            appeal_type="complaint",
            title="",
            content=text,
            category=category,
            status=Status.CLOSED,
            submitted_at=now - dt.timedelta(days=i % 300),
        )
        for i in range(per_category)
        for text, category in (
            (NOISE[i % 5] + f"（第{i}次）", world.cat_noise),
            (ROAD[i % 5] + f"（第{i}次）", world.cat_road),
        )
    ]
    Appeal.objects.bulk_create(rows)


def test_new_deployment_falls_back_to_the_catalogue_keywords(world: Any) -> None:
    s = services.suggest("我家楼下工地夜间施工，噪音很大")
    assert s.source == DispatchSuggestion.Source.KEYWORDS
    assert s.category == world.cat_noise and s.unit == world.urban
    assert 0 < s.confidence <= 0.5 and not s.auto  # keyword rules never dispatch on their own
    assert services.suggest("天气不错").category is None


def test_trained_model_suggests_with_confidence_and_three_alternatives(world: Any, settings: Any) -> None:
    settings.HUYING_AUTO_DISPATCH_CONFIDENCE = 0.5
    row = _train_model(world)
    s = services.suggest("夜里工地打桩噪音大，吵得睡不着")
    assert s.source == DispatchSuggestion.Source.MODEL and s.model == row
    assert s.category == world.cat_noise and s.unit == world.urban
    assert 0.5 <= s.confidence <= 1 and s.auto
    confidences = [a["confidence"] for a in s.alternatives]
    assert confidences == sorted(confidences, reverse=True) and 1 <= len(confidences) <= 3
    assert services.suggest("道路破损有大坑").category == world.cat_road


def test_confident_web_appeal_is_dispatched_automatically_and_recorded(world: Any, settings: Any) -> None:
    settings.HUYING_AUTO_DISPATCH_CONFIDENCE = 0.5
    _train_model(world)
    appeal = submit(world, channel=Channel.WEB, category=None, content="工地夜间施工噪音扰民，凌晨还在打桩，影响休息")
    assert appeal.status == Status.DISPATCHED and appeal.lead_unit == world.urban
    assert appeal.category == world.cat_noise
    record = DispatchSuggestion.objects.get(appeal=appeal)
    assert record.auto_dispatched and not record.is_correction
    assert AppealEvent.objects.filter(appeal=appeal, action=Action.DISPATCH, actor__username="smart-dispatch").exists()


def test_below_threshold_stays_for_the_operator(world: Any, settings: Any) -> None:
    settings.HUYING_AUTO_DISPATCH_CONFIDENCE = 1.01  # above any confidence: auto-dispatch off
    _train_model(world)
    appeal = submit(world, channel=Channel.WEB, category=None, content="工地夜间施工噪音扰民，凌晨还在打桩")
    assert appeal.status == Status.SUBMITTED
    assert not DispatchSuggestion.objects.get(appeal=appeal).auto_dispatched


def test_operator_correction_is_recorded(world: Any) -> None:
    _train_model(world)
    result = appeal_services.appeal_record_call(
        actor=world.operator,
        lead_unit=world.urban,
        channel=Channel.HOTLINE,
        appeal_type="complaint",
        content="工地夜间施工噪音扰民，凌晨还在打桩",
        category=world.cat_road,  # the operator chose otherwise
        requester_phone="13612345678",
    )
    record = DispatchSuggestion.objects.get(appeal=result.appeal)
    assert record.category == world.cat_noise and record.chosen_category == world.cat_road
    assert record.is_correction and record.corrected_by == world.operator and not record.auto_dispatched
    assert result.appeal.status == Status.DISPATCHED  # the hotline channel is never auto-dispatched


def test_training_needs_enough_history_then_versions_and_rolls_back(world: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.classifier_train()
    assert refused.value.code == "not_enough_history"
    with pytest.raises(CommandError, match="历史工单不足"):
        call_command("dispatch_train")
    closed_history(world)
    first = services.classifier_train()
    second = services.classifier_train()
    assert first.n_samples == 240 and first.n_classes == 2
    assert list(ClassifierModel.objects.filter(is_active=True)) == [second]
    services.classifier_activate(version=first.pk)
    assert list(ClassifierModel.objects.filter(is_active=True)) == [first]
    assert services.suggest("工地噪音扰民").model == first


def test_near_duplicates_are_found_through_the_index(world: Any) -> None:
    text = "滨城区黄河五路与渤海十路路口的红绿灯坏了三天，早晚高峰车辆拥堵严重，请尽快维修"
    first = submit(world, content=text, phone="13700000001")
    appeal_services.appeal_transition(actor=world.operator, appeal=first, action=Action.ACCEPT)
    other = submit(world, content="渤海十路小区垃圾桶满了没人清理，臭味很大", phone="13700000002")
    appeal_services.appeal_transition(actor=world.operator, appeal=other, action=Action.ACCEPT)
    second = submit(world, content=text.replace("三天", "好几天") + "。", phone="13700000003")
    found = services.similar_open_appeals(actor_for(world.operator), second)
    assert [s.appeal.pk for s in found] == [first.pk]
    assert found[0].similarity >= 0.5 and not found[0].same_requester
    # A unit handler cannot see orders outside its units, so nothing leaks through the index.
    assert services.similar_open_appeals(actor_for(world.housing_handler), second) == []


LIGHTS = "滨城区黄河五路与渤海十路路口的红绿灯坏了三天，早晚高峰车辆拥堵严重，请尽快维修"


def _keys(appeal: Appeal) -> set[int]:
    return set(AppealFingerprint.objects.filter(appeal=appeal).values_list("band_key", flat=True))


def test_intake_queues_the_appeal_and_a_flush_indexes_it(world: Any) -> None:
    first = submit(world, content=LIGHTS, phone="13700000001")
    appeal_services.appeal_transition(actor=world.operator, appeal=first, action=Action.ACCEPT)
    assert FingerprintPending.objects.filter(appeal=first).exists() and _keys(first) == set()

    second = submit(world, content=LIGHTS.replace("三天", "好几天"), phone="13700000003")
    # Still queued: found by the queue scan, from the moment the intake committed.
    assert [s.appeal.pk for s in services.similar_open_appeals(actor_for(world.operator), second)] == [first.pk]

    assert services.fingerprint_flush() == 2
    assert not FingerprintPending.objects.exists()
    expected = set(dedup.band_keys(dedup.signature(f"{first.title}{first.content}")))
    assert _keys(first) == expected and len(expected) > 20
    # Indexed now, with nothing queued: found through the band keys alone.
    assert [s.appeal.pk for s in services.similar_open_appeals(actor_for(world.operator), second)] == [first.pk]
    assert services.fingerprint_flush() == 0  # nothing twice
    assert AppealFingerprint.objects.filter(appeal=first).count() == len(expected)


def test_a_flush_takes_the_oldest_first_and_at_most_its_limit(world: Any) -> None:
    appeals = [submit(world, content=f"{LIGHTS}（第{i}次）", phone=f"1370000010{i}") for i in range(5)]
    assert services.fingerprint_flush(limit=3) == 3
    assert [bool(_keys(a)) for a in appeals] == [True, True, True, False, False]
    assert services.fingerprint_flush_all() == 2 and all(_keys(a) for a in appeals)


@pytest.mark.django_db(transaction=True)
def test_every_batch_th_intake_flushes_after_its_commit(world: Any, settings: Any) -> None:
    settings.HUYING_FINGERPRINT_BATCH = 3
    appeals = [submit(world, content=f"{LIGHTS}（第{i}次）", phone=f"1370000020{i}") for i in range(7)]
    flushed_at = [a.pk for a in appeals if a.pk % 3 == 0]
    assert flushed_at, "ids are consecutive: some of seven is a multiple of three"
    last_flush = max(flushed_at)
    indexed = {a.pk for a in appeals if _keys(a)}
    assert indexed == {a.pk for a in appeals if a.pk <= last_flush}
    assert set(FingerprintPending.objects.values_list("appeal_id", flat=True)) == {
        a.pk for a in appeals if a.pk > last_flush
    }


@pytest.mark.django_db(transaction=True)
def test_a_failing_flush_loses_no_appeal(world: Any, settings: Any, monkeypatch: Any) -> None:
    settings.HUYING_FINGERPRINT_BATCH = 1

    def broken(rows: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_index_rows", broken)
    appeal = submit(world, content=LIGHTS, phone="13700000301")
    assert Appeal.objects.filter(pk=appeal.pk).exists()
    assert FingerprintPending.objects.filter(appeal=appeal).exists()  # the sweep will index it later
    monkeypatch.undo()
    out = StringIO()
    call_command("sweep", stdout=out)
    assert "相似工单索引：补入 1 件" in out.getvalue() and _keys(appeal)


def test_backfill_indexes_appeals_without_keys_and_empties_the_queue(world: Any) -> None:
    queued = submit(world, content=LIGHTS, phone="13700000401")
    services.fingerprint_flush()
    AppealFingerprint.objects.all().delete()  # as after an import
    other = submit(world, content="渤海十路小区垃圾桶满了没人清理，臭味很大", phone="13700000402")
    assert services.fingerprint_backfill(batch=1) == 2
    assert _keys(queued) and _keys(other) and not FingerprintPending.objects.exists()
    assert services.fingerprint_backfill() == 0


def test_key_problem_reply_closes_every_linked_open_appeal(world: Any) -> None:
    handling = appeal_in(world, Status.HANDLING)
    unsatisfied = appeal_in(world, Status.UNSATISFIED)
    closed = appeal_in(world, Status.CLOSED)
    submitted = appeal_in(world, Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.key_problem_create(actor=world.operator, title="x", lead_unit=world.urban, appeal_ids=[handling.pk])
    with pytest.raises(ValidationFailed) as bad:
        services.key_problem_create(actor=world.supervisor, title="", lead_unit=None, appeal_ids=[])
    assert set(bad.value.data) == {"title", "lead_unit", "appeals"}
    problem = services.key_problem_create(
        actor=world.supervisor,
        title="机井灌溉电价",
        lead_unit=world.urban,
        joint_units=[world.housing, world.urban],
        appeal_ids=[handling.pk, unsatisfied.pk, closed.pk, submitted.pk],
    )
    assert list(problem.joint_units.all()) == [world.housing]
    with pytest.raises(ValidationFailed):
        services.key_problem_add_meeting(
            actor=world.supervisor, key_problem=problem, held_on=None, attendees="", findings="", decision=""
        )
    services.key_problem_add_meeting(
        actor=world.supervisor,
        key_problem=problem,
        held_on=dt.date(2026, 11, 20),
        attendees="供电公司、农业农村局、镇政府",
        findings="机井用电按商业电价计费",
        decision="改按农业排灌电价，退还差价",
    )
    stale = problem.version
    result = services.key_problem_reply(
        actor=world.supervisor, key_problem=problem, reply="已改按农业电价并退还差价。", expected_version=stale
    )
    assert sorted(result.closed) == sorted([handling.number, unsatisfied.number, submitted.number])
    assert result.skipped == [closed.number]
    for appeal in (handling, unsatisfied, submitted):
        appeal.refresh_from_db()
        assert appeal.status == Status.CLOSED and appeal.reply_text == "已改按农业电价并退还差价。"
    assert problem.status == KeyProblem.Status.CLOSED
    with pytest.raises(ConcurrentModification):
        services.key_problem_reply(
            actor=world.supervisor, key_problem=problem, reply="再答一次", expected_version=stale
        )


def test_key_problem_reply_is_all_or_nothing(world: Any, monkeypatch: Any) -> None:
    a, b = appeal_in(world, Status.HANDLING), appeal_in(world, Status.HANDLING)
    problem = services.key_problem_create(
        actor=world.supervisor, title="路灯", lead_unit=world.urban, appeal_ids=[a.pk, b.pk]
    )
    real = appeal_services.appeal_transition
    calls = {"n": 0}

    def flaky(**kwargs: Any) -> Appeal:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConcurrentModification()
        return real(**kwargs)

    monkeypatch.setattr(appeal_services, "appeal_transition", flaky)
    with pytest.raises(ConcurrentModification):
        services.key_problem_reply(actor=world.supervisor, key_problem=problem, reply="已修复")
    assert {x.status for x in Appeal.objects.filter(pk__in=[a.pk, b.pk])} == {Status.HANDLING}
    problem.refresh_from_db()
    assert problem.status == KeyProblem.Status.OPEN


def test_reply_warnings_are_kept_for_staff_only(world: Any, client: Any) -> None:
    appeal = appeal_in(world, Status.HANDLING)
    appeal_services.appeal_transition(actor=world.handler, appeal=appeal, action=Action.REPLY, note="收到。")
    event = AppealEvent.objects.get(appeal=appeal, action=Action.REPLY)
    assert event.data["reply_warnings"] and all(w["message"] for w in event.data["reply_warnings"])
    client.force_login(world.citizen)
    # The public timeline of someone else's order is not visible; the owner's is checked in the web tests.
    assert client.get(f"/api/v1/appeals/{appeal.pk}/timeline/").status_code == 404


def test_operator_classifies_a_web_appeal_as_they_dispatch_it_and_the_choice_is_recorded(world: Any) -> None:
    appeal = submit(world, channel=Channel.WEB, category=None, content="小区楼下工地夜间施工，噪音扰民睡不着")
    record = DispatchSuggestion.objects.get(appeal=appeal)
    assert record.category == world.cat_noise and record.chosen_category is None  # keyword suggestion
    appeal_services.appeal_transition(actor=world.operator, appeal=appeal, action=Action.ACCEPT)
    dispatched = appeal_services.appeal_transition(
        actor=world.operator, appeal=appeal.pk, action=Action.DISPATCH, lead_unit=world.urban, category=world.cat_road
    )
    assert dispatched.category == world.cat_road
    record.refresh_from_db()
    assert record.chosen_category == world.cat_road and record.is_correction and record.corrected_by == world.operator
    with pytest.raises(ValidationFailed):
        other = submit(world, channel=Channel.WEB, category=None, content="另一件事：路灯不亮了好几天")
        appeal_services.appeal_transition(actor=world.operator, appeal=other, action=Action.ACCEPT)
        appeal_services.appeal_transition(
            actor=world.operator, appeal=other.pk, action=Action.DISPATCH, lead_unit=world.urban, category=999999
        )


def test_an_unreadable_model_falls_back_to_keywords_and_intake_goes_on(world: Any) -> None:
    ClassifierModel.objects.create(n_samples=1, n_classes=2, is_active=True, payload=b"not a model")
    s = services.suggest("楼下工地夜间施工噪音大")
    assert s.source == DispatchSuggestion.Source.KEYWORDS and s.category == world.cat_noise
    appeal = submit(world, content="楼下工地夜间施工噪音大，请处理")
    assert appeal.status == Status.SUBMITTED


def test_catalogue_changes_made_elsewhere_are_seen_at_once(world: Any) -> None:
    assert services.suggest("工地夜间施工噪音").category == world.cat_noise
    # Another process (no signal here) deactivates the category: the next intake must not suggest it.
    Category.objects.filter(pk=world.cat_noise.pk).update(is_active=False)
    assert services.suggest("工地夜间施工噪音").category is None
    appeal = submit(world, category=None, content="工地夜间施工噪音很大，请处理")
    assert DispatchSuggestion.objects.get(appeal=appeal).category is None

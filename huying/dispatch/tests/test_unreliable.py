"""Suggestions the model cannot vouch for: they say why and are never dispatched automatically;
a model trained on data cross-validation cannot measure gets no threshold; operators' decisions weigh more."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from huying.appeals.models import Appeal
from huying.appeals.states import Channel, Status
from huying.appeals.tests.factories import submit
from huying.dispatch import calibration, classifier, learning, services
from huying.dispatch.models import DispatchSuggestion

from .test_services import _train_model, closed_history

pytestmark = pytest.mark.django_db


def test_english_text_is_suggested_but_not_dispatched_and_says_why(world: Any, settings: Any) -> None:
    settings.HUYING_AUTO_DISPATCH_CONFIDENCE = 0.5
    _train_model(world)
    s = services.suggest("The construction site next door is very noisy at night, please stop it")
    assert s.unreliable == "not_chinese" and not s.auto and s.confidence <= 0.5
    shown = s.as_dict()
    assert shown["unreliable"] == "not_chinese" and shown["unreliable_label"] == "非中文内容"
    assert services.suggest("噪音").unreliable == "too_short"
    clear = services.suggest("夜里工地打桩噪音大，吵得睡不着觉，请管一管")
    assert clear.unreliable == "" and clear.auto and clear.category == world.cat_noise


def test_unreliable_web_appeal_waits_for_an_operator(world: Any, settings: Any) -> None:
    settings.HUYING_AUTO_DISPATCH_CONFIDENCE = 0.5
    _train_model(world)
    appeal = submit(world, channel=Channel.WEB, category=None, content="Noise from the building site every night")
    assert appeal.status == Status.SUBMITTED
    record = DispatchSuggestion.objects.get(appeal=appeal)
    assert record.unreliable == "not_chinese" and not record.auto_dispatched


def test_templated_history_trains_a_model_without_auto_dispatch(world: Any) -> None:
    closed_history(world)  # two classes of five sentences each, numbered (the model masks the digits)
    out = StringIO()
    call_command("dispatch_train", stdout=out)
    assert "交叉验证无法衡量" in out.getvalue()
    row = services.active_model()
    assert row is not None and row[0].threshold is None and row[1].not_measurable == calibration.TOO_FEW_TEXTS
    s = services.suggest("工地夜间施工噪音扰民，凌晨还在打桩，影响休息")
    assert s.category == world.cat_noise and not s.auto


def test_operators_decisions_weigh_more_than_history(world: Any) -> None:
    closed_history(world, per_category=10)
    decided = Appeal.objects.order_by("pk").first()
    assert decided is not None
    DispatchSuggestion.objects.create(appeal=decided, source="model", chosen_category=decided.category)
    data = learning.training_data(services.TRAIN_STATUSES)
    assert len(data.contents) == 20 and data.n_local == 1
    assert sorted(data.weights)[-1] == classifier.LOCAL_WEIGHT and sorted(data.weights)[0] == 1.0

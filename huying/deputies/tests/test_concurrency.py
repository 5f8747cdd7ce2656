"""Two people acting on one record from the same version: one wins, the other is told it changed.
Run on PostgreSQL too (scripts/pg-test-server.sh), where the two writes really race."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.deputies.models import Opinion, Suggestion
from huying.deputies.services import drafts as draft_services
from huying.deputies.services import suggestions as suggestion_services
from tests.fixtures import make_user
from tests.fixtures.concurrency import race

from .factories import build
from .fixtures_text import LIFAFA_2015


@pytest.mark.django_db(transaction=True)
def test_two_staff_answering_one_opinion_at_once_one_wins(world: Any) -> None:
    d = build(world)
    colleague = make_user("lawstaff2", "legislative_staff", d.congress)
    today = timezone.localdate()
    draft = draft_services.draft_create(
        actor=d.staff, title="草案", issuing_body="法工委", text=LIFAFA_2015,
        opens_on=today, closes_on=today + dt.timedelta(days=30), points=[d.point],
    )  # fmt: skip
    o = draft_services.opinion_submit(actor=world.citizen, draft_id=draft.pk, content="建议")
    o = draft_services.opinion_organise(actor=d.staff, opinion_id=o.pk, version=o.version)
    o = draft_services.opinion_submit_upward(actor=d.staff, opinion_id=o.pk, version=o.version, recipient="法工委")
    seen = o.version
    outcomes = race(
        [
            lambda: draft_services.opinion_answer(actor=d.staff, opinion_id=o.pk, version=seen, outcome="adopted", reason="采纳"),
            lambda: draft_services.opinion_answer(actor=colleague, opinion_id=o.pk, version=seen, outcome="not_adopted", reason="不采纳"),
        ]
    )  # fmt: skip
    assert outcomes == ["changed_meanwhile", "ok"]
    fresh = Opinion.objects.get(pk=o.pk)
    assert fresh.version == seen + 1 and fresh.outcome in ("adopted", "not_adopted")


@pytest.mark.django_db(transaction=True)
def test_one_handler_objecting_while_a_colleague_takes_it_on_one_wins(world: Any) -> None:
    d = build(world)
    colleague = make_user("urban2", "handler", world.urban)
    s = suggestion_services.suggestion_create(actor=d.deputy_user, title="增设公交站", content="建议增设公交站。")
    s = suggestion_services.suggestion_assign(
        actor=d.staff, suggestion_id=s.pk, version=s.version, lead_unit=world.urban, single_matter=True
    )
    seen = s.version
    outcomes = race(
        [
            lambda: suggestion_services.suggestion_object(actor=world.handler, suggestion_id=s.pk, version=seen, reason="非本单位"),
            lambda: suggestion_services.suggestion_accept(actor=colleague, suggestion_id=s.pk, version=seen),
        ]
    )  # fmt: skip
    assert outcomes == ["changed_meanwhile", "ok"]
    assert Suggestion.objects.get(pk=s.pk).version == seen + 1

"""Filing review: late filings flagged, experts by field in rotation or by a published seed, conflicts
excluded, the maker's clocks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.core.errors import ValidationFailed
from huying.deputies import errors, states
from huying.deputies.draw import seeded_draw
from huying.deputies.models import Expert
from huying.deputies.services import filing as services

from .factories import build

pytestmark = pytest.mark.django_db


def _experts(world: Any) -> list[Expert]:
    today = timezone.localdate()
    term = {"term_start": today - dt.timedelta(days=365), "term_end": today + dt.timedelta(days=365)}
    own = Expert.objects.create(name="城管局专家", fields="urban", body=world.urban, **term)
    declared = Expert.objects.create(name="申报回避专家", fields="urban", **term)
    declared.declared_conflicts.add(world.urban)
    others = [Expert.objects.create(name=f"专家{i}", fields="urban、social", **term) for i in range(4)]
    Expert.objects.create(
        name="期满专家",
        fields="urban",
        term_start=today - dt.timedelta(days=800),
        term_end=today - dt.timedelta(days=1),
    )
    return [own, declared, *others]


def test_late_filing_flagged_and_experts_rotate_by_field_without_conflicts(world: Any) -> None:
    d = build(world)
    own, declared, *others = _experts(world)
    today = timezone.localdate()
    late = services.document_file(
        actor=d.staff,
        title="滨州市城市道路占用管理办法",
        maker=world.urban,
        field="urban",
        published_on=today - dt.timedelta(days=31),
    )
    on_time = services.document_file(
        actor=d.staff,
        title="城市照明管理规定",
        maker=world.urban,
        field="urban",
        published_on=today - dt.timedelta(days=30),
    )
    assert late.is_late and not on_time.is_late
    doc = services.review_start(actor=d.staff, document_id=late.pk, version=0, experts=2)
    first = {a.expert for a in doc.assignments.all()}
    assert first == set(others[:2]) and own not in first and declared not in first
    doc2 = services.review_start(actor=d.staff, document_id=on_time.pk, version=0, experts=2)
    assert {a.expert for a in doc2.assignments.all()} == set(others[2:])  # rotation: the least recent next
    with pytest.raises(ValidationFailed) as conflict:
        services.expert_assign(actor=d.staff, document_id=doc.pk, expert_id=own.pk)
    assert conflict.value.code == errors.EXPERT_CONFLICT
    with pytest.raises(ValidationFailed):
        services.expert_assign(actor=d.staff, document_id=doc.pk, expert_id=declared.pk)


def test_random_draw_with_a_published_seed_is_repeatable(world: Any) -> None:
    d = build(world)
    _own, _declared, *_others = _experts(world)
    doc = services.document_file(
        actor=d.staff,
        title="生活垃圾分类管理办法",
        maker=world.housing,
        field="urban",
        published_on=timezone.localdate(),
        requester="市民赵某",
    )
    doc = services.review_start(actor=d.staff, document_id=doc.pk, version=0, experts=2, random_seed="2027-binzhou-01")
    eligible = [e.pk for e in Expert.objects.filter(name__startswith="专家")] + [_own.pk, _declared.pk]
    assert doc.draw_seed == "2027-binzhou-01"
    assert {a.expert_id for a in doc.assignments.all()} == set(seeded_draw(eligible, 2, "2027-binzhou-01"))
    doc = services.review_decide(
        actor=d.staff, document_id=doc.pk, version=doc.version, action="correct", note="第五条增设义务缺乏上位法依据"
    )
    assert doc.status == states.TO_CORRECT
    assert doc.answer_due is not None and doc.amendment_due is not None and doc.amendment_due > doc.answer_due
    assert doc.requester_due == timezone.localdate() + dt.timedelta(days=15)


def test_seeded_draw_is_the_same_for_the_same_seed_and_order_free() -> None:
    assert seeded_draw([5, 3, 9, 1], 2, "abc") == seeded_draw([9, 1, 3, 5, 5], 2, "abc")
    assert len(seeded_draw(range(30), 3, "x")) == 3
    assert seeded_draw([1, 2], 5, "x") in ([1, 2], [2, 1])

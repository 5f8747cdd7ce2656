"""The transition kernel: the table check, the one note limit, and the versioned write."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

from huying.core.errors import ConcurrentModification, InvalidTransition, PermissionDenied, ValidationFailed
from huying.core.statemachine import NOTE_MAX_LENGTH, Transition, TransitionTable, clean_note, versioned_update

TABLE = TransitionTable(
    [
        Transition("open", "close", "closed", frozenset({"clerk"}), needs_note=True),
        Transition("open", "hold", "held", frozenset({"clerk", "manager"})),
        Transition("held", "close", "closed", frozenset({"manager"})),
    ]
)


def test_check_returns_the_transition_and_the_stripped_note() -> None:
    transition, note = TABLE.check(source="open", action="close", roles={"clerk", "citizen"}, note="  办结。 ")
    assert (transition.target, note) == ("closed", "办结。")


def test_check_refuses_a_pair_not_in_the_table_with_the_callers_wording() -> None:
    with pytest.raises(InvalidTransition) as exc:
        TABLE.check(source="closed", action="hold", roles={"clerk"})
    assert exc.value.data == {"status": "closed", "action": "hold"}
    with pytest.raises(InvalidTransition) as worded:
        TABLE.check(source="closed", action="hold", roles={"clerk"}, describe=lambda s, a: f"「{s}」不能「{a}」")
    assert str(worded.value.message) == "「closed」不能「hold」"


def test_check_refuses_roles_and_missing_or_long_notes() -> None:
    with pytest.raises(PermissionDenied):
        TABLE.check(source="held", action="close", roles={"clerk"})
    with pytest.raises(ValidationFailed) as missing:
        TABLE.check(source="open", action="close", roles={"clerk"}, note="   ")
    assert "note" in missing.value.data
    with pytest.raises(ValidationFailed):
        TABLE.check(source="open", action="hold", roles={"clerk"}, note="长" * (NOTE_MAX_LENGTH + 1))


def test_allowed_lists_what_the_roles_may_take_in_table_order() -> None:
    assert [t.action for t in TABLE.allowed("open", {"clerk"})] == ["close", "hold"]
    assert [t.action for t in TABLE.allowed("open", {"manager"})] == ["hold"]
    assert TABLE.allowed("closed", {"clerk", "manager"}) == []


def test_clean_note() -> None:
    assert clean_note(None) == ""
    assert clean_note(" 说明 ", required=True) == "说明"
    assert clean_note("长" * NOTE_MAX_LENGTH) == "长" * NOTE_MAX_LENGTH
    with pytest.raises(ValidationFailed):
        clean_note("", required=True)
    with pytest.raises(ValidationFailed):
        clean_note("长" * (NOTE_MAX_LENGTH + 1))


@pytest.fixture
def windows(world: Any) -> list[Any]:
    # Through the app registry: the kernel sits below the apps, its tests borrow a versioned model.
    hall = apps.get_model("halls", "Hall").objects.create(name="政务服务中心", unit=world.city)
    window = apps.get_model("halls", "Window")
    return [window.objects.create(hall=hall, number=n, label=f"窗口{n}") for n in (1, 2, 3)]


def _versions(rows: list[Any]) -> list[tuple[bool, int]]:
    for row in rows:
        row.refresh_from_db()
    return [(row.is_open, row.version) for row in rows]


def test_versioned_update_compare_and_set(windows: list[Any]) -> None:
    first = windows[0]
    model = type(first)
    assert versioned_update(model.objects.filter(pk=first.pk), expected_version=1, is_open=False) == 1
    assert _versions(windows) == [(False, 2), (True, 1), (True, 1)]
    with pytest.raises(ConcurrentModification):
        versioned_update(model.objects.filter(pk=first.pk), expected_version=1, is_open=True)
    assert _versions(windows) == [(False, 2), (True, 1), (True, 1)]  # nothing written


def test_versioned_update_sweep_bumps_every_matched_row(windows: list[Any]) -> None:
    model = type(windows[0])
    with transaction.atomic():
        rows = versioned_update(model.objects.filter(pk__in=[w.pk for w in windows[1:]]), is_open=False)
    assert rows == 2
    assert _versions(windows) == [(True, 1), (False, 2), (False, 2)]

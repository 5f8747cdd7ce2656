"""Query-parameter helpers: sane values pass, hostile ones are a ValidationFailed naming the parameter."""

from __future__ import annotations

import datetime as dt

import pytest

from huying.core import params
from huying.core.errors import ValidationFailed


def test_sane_values() -> None:
    assert params.int_param("42", name="n") == 42 and params.int_param("", name="n", default=3) == 3
    assert params.date_param("2026-03-01", name="d") == dt.date(2026, 3, 1)
    assert params.month_param("2026-03", name="m") == dt.date(2026, 3, 1)
    assert params.choice_param("a", name="c", choices=["a", "b"]) == "a"
    assert params.id_list_param(["1", "2", ""], name="ids") == [1, 2]
    assert params.text_param(" 噪音 ", name="q") == "噪音"
    assert params.page_param({"page": "99999999999999"}) == 1 and params.page_param({"page": "3"}) == 3


@pytest.mark.parametrize(
    ("helper", "value"),
    [
        (params.int_param, "99999999999999999999"),
        (params.int_param, "0"),
        (params.int_param, "1e5"),
        (params.date_param, "0001-01-01"),
        (params.date_param, "9999-12-31"),
        (params.date_param, "2026-02-30"),
        (params.month_param, "9999-12"),
        (params.month_param, "0000-00"),
        (params.month_param, "2026-13"),
        (params.text_param, "a\x00b"),
        (params.text_param, "x" * 10_000),
    ],
)
def test_hostile_values_are_a_validation_error(helper: object, value: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        helper(value, name="p")  # type: ignore[operator]
    assert "p" in caught.value.data


def test_choice_and_id_list_limits() -> None:
    with pytest.raises(ValidationFailed):
        params.choice_param("z", name="c", choices=["a"])
    with pytest.raises(ValidationFailed):
        params.id_list_param([str(i) for i in range(1, 200)], name="ids")

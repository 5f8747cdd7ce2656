"""Inputs the API fuzzer (make test-fuzz) found answered with a server error or an undeclared body."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from huying.appeals.models import Appeal

from .helpers import problem, url

pytestmark = pytest.mark.django_db


def body(**kw: Any) -> dict[str, Any]:
    return {"channel": "web", "appeal_type": "help", "content": "路灯坏了。", "requester_phone": "13712345678", **kw}


def test_a_huge_coordinate_is_an_input_error(world: Any) -> None:
    response = APIClient().post(url("appeals/"), body(longitude=-6.056524509384368e16, latitude=1e300), format="json")
    errors = problem(response, 400, "validation_failed")["errors"]
    assert set(errors) == {"longitude", "latitude"}
    assert not Appeal.objects.exists()


def test_an_unknown_division_is_named(world: Any) -> None:
    errors = problem(
        APIClient().post(url("appeals/"), body(division="999999"), format="json"), 400, "validation_failed"
    )["errors"]
    assert errors["division"] == ["行政区划不存在：999999。"]

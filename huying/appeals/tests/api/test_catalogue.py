"""派单目录, units and the dispatch suggestion."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from huying.appeals import deadlines
from huying.appeals.api.queries import category_time_limits
from huying.appeals.models import Category, CategoryRoute, TimeLimitRule
from huying.appeals.states import Urgency

from .helpers import problem, url

pytestmark = pytest.mark.django_db


def test_categories_are_public_with_unit_and_time_limits(world: Any) -> None:
    TimeLimitRule.objects.create(category=world.cat_noise.parent, urgency=Urgency.GENERAL, amount=3, unit="workdays")
    response = APIClient().get(url("categories/"))
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert set(rows) == {"0101", "0102", "0201"}  # leaves only
    noise = rows["0101"]
    assert noise["unit"]["id"] == world.urban.pk
    assert noise["full_name"] == "城市管理/噪音扰民"
    assert noise["time_limits"]["general"] == {"amount": 3, "unit": "workdays"}  # inherited from the parent
    assert noise["time_limits"]["emergency"] == {"amount": 2, "unit": "hours"}
    assert rows["0201"]["allows_anonymous"] is False


def test_time_limits_agree_with_deadlines(world: Any) -> None:
    TimeLimitRule.objects.create(category=None, urgency=Urgency.URGENT, amount=12, unit="hours")
    TimeLimitRule.objects.create(category=world.cat_road, urgency=Urgency.GENERAL, amount=2, unit="workdays")
    TimeLimitRule.objects.create(category=world.cat_road.parent, urgency=Urgency.EMERGENCY, amount=1, unit="hours")
    categories = list(Category.objects.all())
    limits = category_time_limits(categories)
    for category in categories:
        for urgency in Urgency.values:
            amount, unit = deadlines.time_limit_for(category, urgency)
            assert limits[category.pk][urgency] == (amount, str(unit)), (category, urgency)


def test_units_need_login_and_filter(world: Any, client_for: Any) -> None:
    problem(APIClient().get(url("units/")), 401, "not_authenticated")
    response = client_for(world.operator).get(url("units/"), {"kind": "department"})
    assert {row["id"] for row in response.json()["results"]} == {world.urban.pk, world.housing.pk}
    problem(client_for(world.operator).get(url("units/"), {"kind": "castle"}), 400, "validation_failed")


def test_suggest_unit(world: Any, client_for: Any) -> None:
    client = client_for(world.operator)
    response = client.get(url("suggest-unit/"), {"category": world.cat_noise.pk})
    assert response.json() == {
        "unit": {"id": world.urban.pk, "name": world.urban.name, "short_name": "市城管局", "label": "市城管局"},
        "urgency": "general",
        "time_limit": {"amount": 5, "unit": "workdays"},
    }
    CategoryRoute.objects.create(category=world.cat_noise, division=world.bincheng, unit=world.street)
    response = client.get(
        url("suggest-unit/"), {"category": world.cat_noise.pk, "division": "371602", "urgency": "urgent"}
    )
    assert response.json()["unit"]["id"] == world.street.pk
    assert response.json()["time_limit"] == {"amount": 24, "unit": "hours"}
    assert client.get(url("suggest-unit/")).json()["unit"] is None
    errors = problem(client.get(url("suggest-unit/"), {"category": "x", "urgency": "soon"}), 400, "validation_failed")[
        "errors"
    ]
    assert set(errors) == {"category", "urgency"}
    problem(client.get(url("suggest-unit/"), {"division": "000000"}), 400, "validation_failed")

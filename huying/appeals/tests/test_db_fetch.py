"""core.db.fetch.get_row: the same instance the ORM builds, the filter honoured, bad keys refused."""

from __future__ import annotations

from typing import Any

import pytest

from huying.accounts.models import User
from huying.appeals.models import Category
from huying.core.db.fetch import get_row

pytestmark = pytest.mark.django_db


def same_fields(a: Any, b: Any) -> None:
    for field in type(a)._meta.concrete_fields:
        assert getattr(a, field.attname) == getattr(b, field.attname), field.attname
        assert type(getattr(a, field.attname)) is type(getattr(b, field.attname)), field.attname


def test_rows_come_back_as_the_orm_builds_them(world: Any) -> None:
    world.cat_heating.allows_anonymous = False
    world.cat_heating.save()
    for category in Category.objects.all():
        row = get_row(Category, category.pk, is_active=True)
        assert row is not None and not row._state.adding and row._state.db == "default"
        same_fields(row, category)
    user = User.objects.get(pk=world.operator.pk)
    fetched = get_row(User, world.operator.pk)
    assert fetched is not None
    same_fields(fetched, user)  # booleans stay bool, datetimes aware, on both databases
    assert fetched.date_joined.tzinfo is not None


def test_the_filter_and_missing_keys(world: Any) -> None:
    world.cat_road.is_active = False
    world.cat_road.save()
    assert get_row(Category, world.cat_road.pk, is_active=True) is None
    assert get_row(Category, world.cat_road.pk) is not None
    assert get_row(Category, 987654) is None
    with pytest.raises(ValueError):
        get_row(Category, "abc")

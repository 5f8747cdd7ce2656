"""The one-statement token authentication: same user, same roles, same refusals as DRF's plus actor_for."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.test import APIClient

from huying.accounts.authentication import TokenAuthentication
from huying.accounts.models import ApiToken, RoleAssignment, User
from huying.accounts.roles import Role
from huying.accounts.selectors import actor_for
from huying.accounts.tokens import token_issue
from tests.fixtures import make_user

pytestmark = pytest.mark.django_db


def fresh_actor(user: User) -> Any:
    return actor_for(User.objects.get(pk=user.pk))  # from the ORM, not the cache the class attaches


def test_user_fields_and_roles_match_the_orm_in_one_query(world: Any) -> None:
    RoleAssignment.objects.create(user=world.supervisor, role=Role.OPERATOR, org_unit=world.hotline)
    token, key = token_issue(user=world.supervisor)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())  # used a moment ago: no write
    with CaptureQueriesContext(connection) as queries:
        user, auth = TokenAuthentication().authenticate_credentials(key)
    assert len(queries) == 1
    orm = User.objects.get(pk=world.supervisor.pk)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(orm, field.attname), field.attname
    assert isinstance(user.is_active, bool) and isinstance(user.date_joined, dt.datetime)
    assert user.date_joined.tzinfo is not None  # converted like the ORM does, aware on both databases
    assert auth.pk == token.pk and auth.user == user and auth.created_at == token.created_at
    assert auth.expires_at == token.expires_at and auth.expires_at.tzinfo is not None
    assert actor_for(user).roles == fresh_actor(world.supervisor).roles and len(actor_for(user).roles) == 2
    assert not user._state.adding


def test_the_first_use_in_a_minute_adds_one_write(world: Any) -> None:
    _token, key = token_issue(user=world.operator)
    with CaptureQueriesContext(connection) as queries:
        TokenAuthentication().authenticate_credentials(key)
    assert len(queries) == 2 and queries[1]["sql"].lstrip().upper().startswith("UPDATE")


def test_a_user_without_roles_is_a_citizen(world: Any) -> None:
    _token, key = token_issue(user=world.citizen)
    user, _auth = TokenAuthentication().authenticate_credentials(key)
    assert actor_for(user).roles == frozenset() and actor_for(user).is_citizen


def test_unknown_deleted_and_inactive_are_refused_at_once(world: Any) -> None:
    auth = TokenAuthentication()
    with pytest.raises(exceptions.AuthenticationFailed):
        auth.authenticate_credentials("0" * 40)
    _token, key = token_issue(user=world.operator)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/appeals/").status_code == 200
    world.operator.is_active = False
    world.operator.save(update_fields=["is_active"])
    assert client.get("/api/v1/appeals/").status_code == 401
    with pytest.raises(exceptions.AuthenticationFailed):
        auth.authenticate_credentials(key)
    other = make_user("revoked", Role.OPERATOR, world.hotline)
    revoked, other_key = token_issue(user=other)
    client.credentials(HTTP_AUTHORIZATION=f"Token {other_key}")
    assert client.get("/api/v1/appeals/").status_code == 200
    revoked.delete()
    assert client.get("/api/v1/appeals/").status_code == 401

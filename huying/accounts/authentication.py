"""API token authentication that reads the token, its user and the user's roles in one statement.

DRF's TokenAuthentication looks the token up with the ORM (``select_related("user")``) and the
request then loads the role assignments (``actor_for``): two queries whose SQL Django compiles
again on every request, which under the intake load cost more CPU than running them. This class
keeps DRF's header parsing and answers, and replaces the lookup with one plain ``SELECT`` built
once per database vendor: token (found by the SHA-256 of the key, ADR 0015), user columns and
(LEFT JOIN) every role assignment with its unit's path. Column values pass through the same
converters the ORM applies. The ``Actor`` is attached to the user as ``actor_for`` caches it.
Nothing is cached across requests: a revoked or expired token or a deactivated user is refused on
the very next request. The token's last use is written at most once a minute (``token_touch``).
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from huying.core.db.fetch import Converters, convert, converters_for
from huying.organisations.models import OrgUnit

from . import errors
from .models import ApiToken, RoleAssignment, User
from .selectors import Actor
from .tokens import key_hash, token_touch

_USER_FIELDS: list[Field[Any, Any]] = list(User._meta.concrete_fields)
_TOKEN_FIELDS: list[Field[Any, Any]] = [
    ApiToken._meta.get_field(name)  # type: ignore[misc]
    for name in ("id", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
]

# from_db takes a partial row's values in the model's field order.
_TOKEN_NAMES = [f.attname for f in ApiToken._meta.concrete_fields if f in _TOKEN_FIELDS or f.attname == "user_id"]

_STATEMENTS: dict[str, tuple[str, Converters]] = {}


def _statement(connection: BaseDatabaseWrapper) -> tuple[str, Converters]:
    found = _STATEMENTS.get(connection.vendor)
    if found is not None:
        return found
    q = connection.ops.quote_name
    user_cols = ", ".join(f"u.{q(f.column)}" for f in _USER_FIELDS)
    token_cols = ", ".join(f"t.{q(f.column)}" for f in _TOKEN_FIELDS)
    sql = (
        f"SELECT {user_cols}, {token_cols}, ra.{q('role')}, ra.{q('org_unit_id')}, ou.{q('path')} "
        f"FROM {q(ApiToken._meta.db_table)} t "
        f"JOIN {q(User._meta.db_table)} u ON u.{q('id')} = t.{q('user_id')} "
        f"LEFT JOIN {q(RoleAssignment._meta.db_table)} ra ON ra.{q('user_id')} = u.{q('id')} "
        f"LEFT JOIN {q(OrgUnit._meta.db_table)} ou ON ou.{q('id')} = ra.{q('org_unit_id')} "
        f"WHERE t.{q('key_hash')} = %s"
    )
    converters = converters_for(_USER_FIELDS, "u", connection) + converters_for(_TOKEN_FIELDS, "t", connection)
    found = _STATEMENTS[connection.vendor] = (sql, converters)
    return found


class TokenRefused(exceptions.AuthenticationFailed):
    """401 with the token's own problem code (expired, revoked)."""

    def __init__(self, detail: Any, problem_code: str) -> None:
        super().__init__(detail, code=problem_code)
        self.problem_code = problem_code


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``, as DRF's, resolved in one query (see the module docstring)."""

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        connection = connections["default"]
        sql, converters = _statement(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [key_hash(key)])
            rows = cursor.fetchall()
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        n, m = len(_USER_FIELDS), len(_TOKEN_FIELDS)
        values = convert(rows[0][: n + m], converters, connection)
        user = User.from_db(connection.alias, [f.attname for f in _USER_FIELDS], values[:n])
        known = dict(zip((f.attname for f in _TOKEN_FIELDS), values[n:], strict=True), user_id=user.pk)
        token = ApiToken.from_db(connection.alias, _TOKEN_NAMES, [known[name] for name in _TOKEN_NAMES])
        if token.revoked_at is not None:
            raise TokenRefused(_("接口令牌已被吊销，请重新获取。"), errors.TOKEN_REVOKED)
        now = timezone.now()
        if token.expires_at <= now:
            raise TokenRefused(_("接口令牌已过期，请重新获取。"), errors.TOKEN_EXPIRED)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        roles = frozenset((row[n + m], row[n + m + 1], row[n + m + 2]) for row in rows if row[n + m] is not None)
        cached: Any = user
        cached._huying_actor = Actor(user=user, roles=roles)  # what actor_for(user) would build and cache
        token.user = user
        token_touch(token, now)
        return user, token

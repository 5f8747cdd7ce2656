"""core.db.insert.insert: the same row as save(force_insert=True), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy

from huying.accounts.models import User
from huying.appeals.models import Appeal, AppealEvent
from huying.appeals.states import Status
from huying.core.db.insert import _unchanged_types, insert, prepared_values
from huying.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _appeal() -> Appeal:
    return Appeal.objects.create(
        channel="web", appeal_type="consult", title="路灯", content="路灯不亮", submitted_at=timezone.now()
    )


def _columns(obj: object) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields if not f.primary_key}  # type: ignore[attr-defined]


def test_insert_stores_what_save_stores() -> None:
    appeal = _appeal()
    when = dt.datetime(2026, 2, 17, 9, 30, tzinfo=dt.UTC)
    values = {
        "appeal": appeal,
        "action": "submit",
        "from_status": "",
        "to_status": Status.SUBMITTED,
        "note": "市民来电：夜间路灯不亮",
        "data": {"channel": "hotline", "list": [1, "二"], "none": None},
        "is_public": True,
        "created_at": when,
    }
    ours = AppealEvent(**values)
    insert(ours)
    theirs = AppealEvent.objects.create(**values)

    assert ours.pk is not None and ours.pk != theirs.pk
    assert not ours._state.adding
    stored, expected = AppealEvent.objects.get(pk=ours.pk), AppealEvent.objects.get(pk=theirs.pk)
    assert _columns(stored) == _columns(expected)
    assert stored.data == {"channel": "hotline", "list": [1, "二"], "none": None}
    assert stored.created_at == when


def test_insert_fills_defaults_and_auto_now_add() -> None:
    appeal = Appeal(channel="web", appeal_type="help", content="需要帮助", submitted_at=timezone.now())
    insert(appeal)
    stored = Appeal.objects.get(pk=appeal.pk)
    assert stored.status == Status.SUBMITTED and stored.version == 1 and stored.repeat_count == 0

    before = timezone.now()
    log = AuditLog(kind=AuditLog.Kind.CONFIG_CHANGE, summary="测试", data={"k": "v"})
    insert(log)
    assert AuditLog.objects.get(pk=log.pk).created_at >= before  # auto_now_add, as save() sets it


def test_insert_refuses_what_it_cannot_do_like_save() -> None:
    appeal = _appeal()
    with pytest.raises(ValueError, match="already saved"):
        insert(appeal)

    def receiver(**kwargs: object) -> None:
        pass

    post_save.connect(receiver, sender=AppealEvent, dispatch_uid="test_insert_refuses")
    try:
        with pytest.raises(TypeError, match="signal"):
            insert(AppealEvent(appeal=appeal, action="x", created_at=timezone.now()))
    finally:
        post_save.disconnect(sender=AppealEvent, dispatch_uid="test_insert_refuses")
    with pytest.raises(TypeError, match="save"):
        insert(User(username="someone"))  # AbstractUser overrides save()
    assert AppealEvent.objects.filter(appeal=appeal).count() == 0


def _plain(values: list[Any]) -> list[Any]:
    """psycopg's Jsonb wrapper has no equality: compare what it wraps."""
    return [getattr(value, "obj", value) for value in values]


def _slow(obj: Any) -> list[Any]:
    fields = [f for f in type(obj)._meta.concrete_fields if not f.primary_key]
    return _plain([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])


def _fast(obj: Any) -> list[Any]:
    fields = [f for f in type(obj)._meta.concrete_fields if not f.primary_key]
    return _plain(prepared_values(obj, [(f, _unchanged_types(f)) for f in fields], connection))


def test_values_taken_as_they_are_equal_what_the_fields_prepare() -> None:
    when = timezone.now()
    appeal = Appeal(
        channel="hotline",
        appeal_type="complaint",
        title=gettext_lazy("路灯"),  # a lazy string is not a str: it takes the field's path
        content="路灯不亮",
        submitted_at=when,
        latitude=decimal.Decimal("37.38"),
        longitude=None,
        category_id=7,
        is_confidential=True,
        supervise_level=2,
        time_limit_amount=None,
    )
    assert _fast(appeal) == _slow(appeal)
    # The datetime went through the backend's adaptation (a string on SQLite), as save() does.
    assert "路灯" in _fast(appeal) and connection.ops.adapt_datetimefield_value(when) in _fast(appeal)
    event = AppealEvent(appeal_id=3, action="submit", data={"k": [1, None]}, created_at=when, is_public=False)
    assert _fast(event) == _slow(event)
    log = AuditLog(kind=AuditLog.Kind.CONFIG_CHANGE, summary="测试", data={})
    stamp = [f.attname for f in AuditLog._meta.concrete_fields if not f.primary_key].index("created_at")
    fast, slow = _fast(log), _slow(log)
    assert fast[:stamp] + fast[stamp + 1 :] == slow[:stamp] + slow[stamp + 1 :]  # created_at: "now", twice


def test_only_plain_field_classes_skip_their_prep_chain() -> None:
    meta = Appeal._meta
    assert _unchanged_types(meta.get_field("title")) == (str, type(None))
    assert _unchanged_types(meta.get_field("category")) == (int, type(None))
    assert _unchanged_types(meta.get_field("submitted_at")) == (type(None),)
    assert _unchanged_types(AuditLog._meta.get_field("created_at")) == ()  # auto_now_add fills itself in
    assert _unchanged_types(AppealEvent._meta.get_field("data")) == ()  # JSON is always encoded

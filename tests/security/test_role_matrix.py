"""Every URL pattern × every kind of person answers as tests/security/matrix.csv says.

Fails on a pattern missing from the table (a new page or endpoint: run ``make security-matrix`` and
review the new rows), a row for a pattern that is gone, or any cell that changed. With
``HUYING_MATRIX_WRITE=1`` (what ``make security-matrix`` sets) it writes the table instead.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from . import matrix
from .conftest import small_demo

pytestmark = [
    pytest.mark.django_db,
    # Who may reach what is decided in Python, not by the database: the table is taken and checked on
    # SQLite (the embedded default), once, rather than again on PostgreSQL.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the role matrix is checked on SQLite"
    ),
]
# The demo's records and every answer are taken at one moment (a Wednesday morning), stopped: which
# appeals are replied, overdue or open to a follow-up depends on the clock, and the table must not.
MOMENT = dt.datetime(2026, 6, 10, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def stopped_demo(db: Any, settings: Any, tmp_path: Any, monkeypatch: Any) -> Iterator[None]:
    with time_machine.travel(MOMENT, tick=False):
        small_demo(settings, tmp_path, monkeypatch)
        yield


def test_every_endpoint_answers_every_role_as_the_matrix_says(stopped_demo: None) -> None:
    header, rows = matrix.compute()
    if os.environ.get("HUYING_MATRIX_WRITE") == "1":
        matrix.write(header, rows)
        return
    assert matrix.MATRIX.exists(), "tests/security/matrix.csv 不存在：运行 make security-matrix"
    committed_header, committed_rows = matrix.read()
    assert header == committed_header, "列（角色）变了：运行 make security-matrix 并审阅差异"
    now = {(r[0], r[1], r[2]): r for r in rows}
    before = {(r[0], r[1], r[2]): r for r in committed_rows}
    missing = sorted(set(now) - set(before))
    gone = sorted(set(before) - set(now))
    assert not missing, f"表中缺少这些地址（运行 make security-matrix 并审阅）：{missing}"
    assert not gone, f"表中有已不存在的地址（运行 make security-matrix）：{gone}"
    drift = []
    for key, row in now.items():
        for column, (was, is_now) in enumerate(zip(before[key], row, strict=True)):
            if was != is_now:
                drift.append(f"{key[2]} {key[0]} [{header[column]}]: {was} → {is_now}")
    assert not drift, "与 matrix.csv 不一致：\n" + "\n".join(drift[:60])


def test_one_citizen_never_reaches_anothers_records() -> None:
    """In the committed table: wherever the citizen's own record fills the address, the other citizen
    and anonymous do not get it."""
    header, rows = matrix.read()
    mine, other, anonymous = header.index("citizen"), header.index("citizen2"), header.index("anonymous")
    owned = [r for r in rows if r[3].startswith("citizen's")]
    assert {r[3] for r in owned} >= {"citizen's appeal", "citizen's application", "citizen's licence"}
    for row in owned:
        # Neither reads nor acts on it: never a 2xx; where the citizen reads it, the other is told it is not there.
        assert not row[other].startswith("2") and not row[anonymous].startswith("2"), row
        if row[2] == "GET" and row[mine] == "200":
            assert row[other] in ("403", "404"), row
    for kind in ("appeal", "application", "licence"):
        assert any(r[mine] == "200" for r in owned if r[3] == f"citizen's {kind}"), kind

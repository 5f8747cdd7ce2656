"""The hall builder: the hall, its windows and accounts, a history whose figures are real, idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from huying.accounts.models import RoleAssignment
from huying.accounts.roles import Role
from huying.halls import selectors
from huying.halls.models import Hall, Ticket, Window
from huying.halls.states import Status

pytestmark = pytest.mark.django_db


def test_demo_halls_builds_a_working_hall_and_is_idempotent(world: Any) -> None:
    out = StringIO()
    call_command("demo", "--only", "halls", "--hall-days", "8", stdout=out)
    assert "咨询" in out.getvalue()  # no catalogue items in this world: the note is printed
    hall = Hall.objects.get(name="滨州市政务服务中心")
    assert hall.unit.name == "滨州市行政审批服务局" and hall.unit.parent == world.city
    windows = Window.objects.filter(hall=hall)
    assert windows.filter(kind=Window.Kind.COMPREHENSIVE).count() == 20
    special = windows.filter(kind=Window.Kind.SPECIAL)
    assert sorted(special.values_list("label", flat=True)) == sorted(
        ["公安", "不动产", "人社", "医保", "税务", "公积金"]
    )
    assert all(w.units.count() == 1 for w in special)
    assert (
        RoleAssignment.objects.filter(
            user__username__in=["chuangkou1", "chuangkou2", "chuangkou3"], role=Role.CLERK, org_unit=hall.unit
        ).count()
        == 3
    )
    assert RoleAssignment.objects.filter(user__username="dating", role=Role.HALL_MANAGER).exists()
    history = Ticket.objects.filter(hall=hall).exclude(day=timezone.localdate())
    assert history.count() > 500 and history.filter(status=Status.DONE).count() > 0.9 * history.count() * 0.9
    today = Ticket.objects.filter(hall=hall, day=timezone.localdate())
    assert today.filter(status=Status.WAITING).count() == 6 and today.filter(status=Status.CALLED).count() == 2
    f = selectors.hall_figures(hall, start=timezone.localdate() - dt.timedelta(days=8), end=timezone.localdate())
    assert f.average_wait_minutes is not None and f.average_service_minutes is not None
    peak = max(f.by_hour, key=lambda hn: hn[1])[0]
    assert 9 <= peak <= 10  # the morning peak

    before = Ticket.objects.count()
    call_command("demo", "--only", "halls", "--hall-days", "8", stdout=StringIO())
    assert Ticket.objects.count() == before
    assert Window.objects.filter(hall=hall).count() == 26 and Hall.objects.count() == 1
    # Taking a number today continues the day's sequence.
    from huying.halls import services

    assert services.ticket_take(hall=hall).number == "A009"  # 8 consults taken today


@pytest.mark.parametrize("clock", ["00:00:00", "00:05:00", "23:59:30"])
def test_demo_halls_keeps_todays_queue_on_today_at_any_hour(world: Any, clock: str) -> None:
    # CI once ran the demo at 00:11 local time and three of the "last 16 minutes" numbers fell on yesterday.
    day = dt.date(2026, 11, 24)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time.fromisoformat(clock)))
    with time_machine.travel(moment, tick=False):
        call_command("demo", "--only", "halls", "--hall-days", "3", stdout=StringIO())
        today = Ticket.objects.filter(day=day)
        assert today.filter(status=Status.WAITING).count() == 6 and today.filter(status=Status.CALLED).count() == 2
        assert list(today.order_by("taken_at", "pk").values_list("number", flat=True)) == [
            f"A00{i}" for i in range(1, 9)
        ]

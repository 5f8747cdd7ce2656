import datetime as dt

from django.template import Context, Template

from huying.core.deadlines import deadline_state

DUE = dt.datetime(2026, 3, 10, 17, 0, tzinfo=dt.UTC)


def test_states_in_order_of_precedence() -> None:
    assert deadline_state(DUE, now=DUE, closed=True, paused=True) == "none"
    assert deadline_state(DUE, now=DUE + dt.timedelta(days=9), paused=True) == "paused"
    assert deadline_state(None, now=DUE) == "none"
    assert deadline_state(DUE, now=DUE - dt.timedelta(days=5), overdue=True) == "overdue"
    assert deadline_state(DUE, now=DUE + dt.timedelta(seconds=1)) == "overdue"
    assert deadline_state(DUE, now=DUE - dt.timedelta(hours=3)) == "due_soon"
    assert deadline_state(DUE, now=DUE - dt.timedelta(days=1)) == "due_soon"
    assert deadline_state(DUE, now=DUE - dt.timedelta(days=3)) == "ok"


def test_chip_keeps_the_deadline_classes() -> None:
    html = Template('{% load deadlines %}{% deadline_chip due "overdue" %}').render(Context({"due": DUE}))
    assert 'class="deadline deadline-overdue"' in html and 'data-deadline="overdue"' in html
    assert 'title="已超期"' in html and 'class="visually-hidden"' in html
    shown = Template(
        '{% load deadlines %}{% deadline_chip due "paused" prefix="期限" label_visible=True paused_label="特别程序" %}'
    ).render(Context({"due": DUE}))
    assert "期限 2026-03-11 01:00" in shown and "（特别程序）" in shown and "visually-hidden" not in shown
    empty = Template('{% load deadlines %}{% deadline_chip None "none" %}').render(Context())
    assert empty == '<span class="muted">—</span>\n'

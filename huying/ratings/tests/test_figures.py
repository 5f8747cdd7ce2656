"""Published figures: 满意率, 好评率, 差评整改率, 实名差评回访率, by unit, kind, channel and month."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from huying.ratings import selectors, services
from huying.ratings.states import CaseAction, CaseStatus, Channel

from .conftest import RATED_AT, case_in, payload_for

pytestmark = pytest.mark.django_db


def rate(
    world: Any, acts: Any, level: int, *, unit: Any = None, kind: str = "application", phone: str = "1", **kw: Any
) -> Any:
    act = acts.add(
        unit=unit or world.urban,
        rater=world.citizen if phone else None,
        kind=kind,
        phone=phone if phone != "1" else "13800138000",
    )
    return services.rating_submit(
        kind=act.kind,
        ref=act.ref,
        level=level,
        channel=kw.get("channel", Channel.WEB),
        user=world.citizen,
        comment="原因",
        now=kw.get("now", RATED_AT),
    )


def test_rates(world: Any, acts: Any) -> None:
    for level in (5, 5, 4, 3):
        rate(world, acts, level)
    case_in(world, acts, CaseStatus.OPEN)  # bad, not answered
    case_in(world, acts, CaseStatus.ANSWERED)  # bad, answered, not revisited
    case_in(world, acts, CaseStatus.CLOSED)  # bad, revisited and closed
    figures = selectors.figures()
    assert figures.total == 7
    assert figures.by_level == {1: 0, 2: 3, 3: 1, 4: 1, 5: 2}
    assert figures.satisfaction_rate == round(100 * 4 / 7, 2)
    assert figures.good_rate == round(100 * 3 / 7, 2)
    assert (figures.bad, figures.bad_answered) == (3, 2)
    assert figures.rectification_rate == round(100 * 2 / 3, 2)
    assert (figures.real_name_bad, figures.real_name_bad_revisited) == (3, 1)
    assert figures.revisit_rate == round(100 / 3, 2)


def test_no_ratings_no_rates(db: Any) -> None:
    figures = selectors.figures()
    assert figures.total == 0 and figures.satisfaction_rate is None and figures.revisit_rate is None


def test_upheld_complaint_leaves_the_figures(world: Any, acts: Any) -> None:
    rate(world, acts, 5)
    case = case_in(world, acts, CaseStatus.OPEN)
    assert selectors.figures().bad == 1
    complaint = services.complaint_file(actor=world.handler, case=case, reason="malicious", statement="恶意")
    services.complaint_review(actor=world.supervisor, complaint=complaint, decision="uphold", note="成立")
    figures = selectors.figures()
    assert (figures.total, figures.bad, figures.satisfaction_rate) == (1, 0, 100.0)
    assert figures.rectification_rate is None


def test_anonymous_bad_ratings_are_not_real_name(world: Any, acts: Any, hall: Any) -> None:
    act = acts.add(unit=world.urban, rater=None, phone="")
    services.rating_submit(
        kind=act.kind, ref=act.ref, level=1, channel=Channel.DEVICE, staff=hall.clerk, comment="排队太久", now=RATED_AT
    )
    figures = selectors.figures()
    assert (figures.bad, figures.real_name_bad, figures.revisit_rate) == (1, 0, None)


def test_by_unit_kind_channel_month(world: Any, acts: Any, hall: Any) -> None:
    rate(world, acts, 5, unit=world.urban)
    rate(world, acts, 1, unit=world.housing, kind="window_visit")
    rate(world, acts, 4, unit=world.housing, kind="window_visit", channel=Channel.APP)
    rate(world, acts, 4, unit=world.housing, now=RATED_AT + dt.timedelta(days=2))
    april = acts.add(unit=world.urban, rater=world.citizen, occurred_at=timezone.make_aware(dt.datetime(2026, 4, 1, 9)))
    services.rating_submit(
        kind=april.kind,
        ref=april.ref,
        level=3,
        channel=Channel.QRCODE,
        user=world.citizen,
        now=timezone.make_aware(dt.datetime(2026, 4, 1, 12)),
    )
    by_unit = {row.label: row.figures for row in selectors.figures_by("unit")}
    assert by_unit["市住建局"].total == 3 and by_unit["市住建局"].bad == 1
    assert by_unit["市城管局"].total == 2 and by_unit["市城管局"].good_rate == 50.0
    by_kind = {row.key: row.figures.total for row in selectors.figures_by("kind")}
    assert by_kind == {"application": 3, "window_visit": 2}
    by_channel = {row.label: row.figures.total for row in selectors.figures_by("channel")}
    assert by_channel == {"政务服务网": 3, "政务服务APP/小程序": 1, "二维码": 1}
    by_month = [(row.key, row.figures.total) for row in selectors.figures_by("month")]
    assert by_month == [("2026-04", 1), ("2026-03", 4)]
    march = selectors.published_ratings(month=dt.date(2026, 3, 1))
    assert selectors.figures(march).total == 4
    assert selectors.figures(selectors.published_ratings(unit=world.city)).total == 5
    assert selectors.figures(selectors.published_ratings(kind="window_visit", channel=Channel.APP)).total == 1


def test_case_reaching_answer_counts_as_rectified(world: Any, acts: Any) -> None:
    case = case_in(world, acts, CaseStatus.EXPLAINED)
    assert selectors.figures().bad_answered == 0
    services.case_transition(actor=world.handler, case=case, action=CaseAction.ANSWER, **payload_for("answer"))
    assert selectors.figures().bad_answered == 1

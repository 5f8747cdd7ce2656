"""Consultation on drafts through the services: the 30-day period, opinions online and offline on
articles of the current version, processing with every original kept, answers seen by their authors,
the summary notice and the Word and Excel exports."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from huying.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from huying.deputies import errors
from huying.deputies.models import Draft, DraftNode, Opinion
from huying.deputies.services import drafts as services
from huying.deputies.services import reports

from .factories import build
from .fixtures_text import LIFAFA_2015

pytestmark = pytest.mark.django_db


def _draft(d: Any, days: int = 30, **extra: Any) -> Draft:
    today = timezone.localdate()
    return services.draft_create(
        actor=d.staff,
        title="中华人民共和国立法法（修正草案）",
        issuing_body="滨城区人大常委会法工委",
        text=LIFAFA_2015,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today - dt.timedelta(days=1) + dt.timedelta(days=days),
        points=[d.point],
        **extra,
    )


def _article(draft: Draft, label: str) -> DraftNode:
    return DraftNode.objects.get(draft=draft, kind="article", label=label)


def test_a_period_under_30_days_needs_a_reason_and_closing_early_needs_one_too(world: Any) -> None:
    d = build(world)
    with pytest.raises(ValidationFailed) as short:
        _draft(d, days=20)
    assert short.value.code == errors.PERIOD_TOO_SHORT
    assert not Draft.objects.exists()
    draft = _draft(d, days=20, short_period_reason="上级立法时间安排紧迫")
    with pytest.raises(ValidationFailed) as early:
        services.draft_close(actor=d.staff, draft_id=draft.pk, version=0)
    assert early.value.code == errors.CLOSE_EARLY_REASON
    closed = services.draft_close(actor=d.staff, draft_id=draft.pk, version=0, reason="已完成全部联系点征集")
    assert closed.status == Draft.Status.CLOSED and closed.closed_early_reason == "已完成全部联系点征集"


def test_the_draft_is_stored_article_by_article(world: Any) -> None:
    d = build(world)
    draft = _draft(d)
    assert draft.nodes.filter(kind="article").count() == 10
    assert draft.nodes.filter(kind="item").count() == 11
    assert _article(draft, "第八条").key == "c2.s1.a8"
    assert "中华人民共和国立法法" in draft.preamble


def test_opinions_online_and_offline_and_their_refusals(world: Any) -> None:
    d = build(world)
    draft = _draft(d)
    eighth = _article(draft, "第八条")
    online = services.opinion_submit(
        actor=world.citizen, draft_id=draft.pk, node_id=eighth.pk, passage="诉讼和仲裁制度",
        content="建议写明“诉讼制度和仲裁基本制度”。", may_publish=True,
    )  # fmt: skip
    assert online.author_name == "张三" and online.channel == Opinion.Channel.ONLINE
    with pytest.raises(ValidationFailed) as anonymous:
        services.opinion_submit(actor=world.citizen, draft_id=draft.pk, content="匿名意见", is_anonymous=True)
    assert anonymous.value.code == errors.ANONYMOUS_NOT_ALLOWED
    other = _draft(d)
    with pytest.raises(ValidationFailed) as elsewhere:
        services.opinion_submit(
            actor=world.citizen, draft_id=draft.pk, node_id=_article(other, "第八条").pk, content="x"
        )
    assert elsewhere.value.code == errors.NODE_NOT_IN_VERSION
    with pytest.raises(ValidationFailed):
        services.opinion_submit(
            actor=world.citizen, draft_id=draft.pk, node_id=eighth.pk, passage="不在本条的话", content="x"
        )
    session = services.session_record(
        actor=d.informant, draft_id=draft.pk, point_id=d.point.pk, kind="bench",
        held_on=timezone.localdate(), place="彩虹湖社区广场", attendees=40,
    )  # fmt: skip
    offline = services.opinion_record_offline(
        actor=d.informant, session_id=session.pk, node_id=eighth.pk, content="仲裁也应写进来", author_name="王大爷"
    )
    assert offline.session == session and offline.point == d.point and offline.recorded_by == d.informant
    with pytest.raises(PermissionDenied):
        services.opinion_record_offline(actor=world.citizen, session_id=session.pk, content="x")
    services.draft_close(actor=d.staff, draft_id=draft.pk, version=0, reason="测试提前结束")
    with pytest.raises(ValidationFailed) as closed:
        services.opinion_submit(actor=world.citizen, draft_id=draft.pk, content="迟到的意见")
    assert closed.value.code == errors.COMMENT_CLOSED
    assert Opinion.objects.filter(draft=draft).count() == 2


def test_processing_merges_keeps_originals_answers_and_notifies(world: Any) -> None:
    d = build(world)
    draft = _draft(d)
    eighth = _article(draft, "第八条")
    a = services.opinion_submit(actor=world.citizen, draft_id=draft.pk, node_id=eighth.pk, content="写明仲裁基本制度")
    b = services.opinion_submit(
        actor=world.other_citizen, draft_id=draft.pk, node_id=eighth.pk, content="仲裁制度要写全"
    )
    a = services.opinion_organise(
        actor=d.informant, opinion_id=a.pk, version=0, summary="第八条第（十）项应写明仲裁基本制度"
    )
    b = services.opinion_merge(actor=d.informant, opinion_id=b.pk, version=0, into_id=a.pk)
    assert b.status == "merged" and b.content == "仲裁制度要写全"  # the original words stay
    with pytest.raises(PermissionDenied):
        services.opinion_submit_upward(actor=d.informant, opinion_id=a.pk, version=a.version, recipient="x")
    a = services.opinion_submit_upward(
        actor=d.staff, opinion_id=a.pk, version=a.version, recipient="市人大常委会法工委"
    )
    with pytest.raises(ValidationFailed):
        services.opinion_answer(actor=d.staff, opinion_id=a.pk, version=a.version, outcome="", reason="x")
    with pytest.raises(InvalidTransition):
        services.opinion_organise(actor=d.staff, opinion_id=a.pk, version=a.version)
    a = services.opinion_answer(
        actor=d.staff, opinion_id=a.pk, version=a.version, outcome="adopted", reason="已修改为“诉讼制度和仲裁基本制度”"
    )
    b.refresh_from_db()
    assert (a.outcome, b.outcome) == ("adopted", "adopted")  # the merged author sees the answer too
    with pytest.raises(InvalidTransition):
        reports.draft_notify(actor=d.staff, draft_id=draft.pk, version=0)
    draft = services.draft_close(actor=d.staff, draft_id=draft.pk, version=0, reason="测试")
    draft = reports.draft_notify(actor=d.staff, draft_id=draft.pk, version=draft.version)
    assert "共收到意见2条" in draft.summary_notice and "合并重复意见1条；采纳1条" in draft.summary_notice
    assert "第八条" in draft.summary_notice

    import docx
    from openpyxl import load_workbook

    word = docx.Document(io.BytesIO(reports.draft_word(draft)))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "第八条" in text and "写明仲裁基本制度" in cells and "采纳" in cells
    assert "张三" not in cells and "张*" in " ".join(cells)  # authors masked
    sheet = load_workbook(io.BytesIO(reports.draft_excel(draft))).active
    assert sheet is not None and sheet.max_row == 3


def test_a_docx_draft_is_imported_through_python_docx(world: Any) -> None:
    import docx

    document = docx.Document()
    for line in LIFAFA_2015.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    text = services.docx_text(buffer)
    assert "第八条 下列事项只能制定法律：" in text
    with pytest.raises(ValidationFailed) as bad:
        services.docx_text(io.BytesIO(b"not a word file"))
    assert bad.value.code == errors.BAD_DOCX

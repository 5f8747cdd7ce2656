"""What the drafting office and the public get from a consultation: the summary notice
(征求意见情况, 立法法 Art. 40), the Word report (python-docx) and the Excel sheet (openpyxl)."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import InvalidTransition, PermissionDenied
from huying.core.masking import mask_name, mask_phone
from huying.core.statemachine import versioned_update

from ..models import Draft, DraftNode, Opinion
from .common import check_version, is_staff, load, resolve


def opinion_rows(draft: Draft) -> list[Opinion]:
    return list(draft.opinions.select_related("node", "session", "point", "merged_into").order_by("received_at", "pk"))


def summary_notice(draft: Draft) -> str:
    """The public notice: how many opinions, from which channels, on which articles, what was adopted and why."""
    rows = opinion_rows(draft)
    channels = Counter(o.channel for o in rows)
    outcomes = Counter(o.outcome for o in rows if o.outcome and o.merged_into_id is None)
    merged = sum(1 for o in rows if o.merged_into_id is not None)
    sessions = draft.sessions.count()
    lines = [
        _("关于《%(title)s》征求意见情况的通报") % {"title": draft.title},
        _(
            "%(body)s于%(opens)s至%(closes)s公开征求意见，共收到意见%(total)d条，其中网上提交%(online)d条，"
            "基层立法联系点通过%(sessions)d场线下活动征集%(offline)d条。"
        )
        % {
            "body": draft.issuing_body,
            "opens": draft.opens_on,
            "closes": draft.closes_on,
            "total": len(rows),
            "online": channels.get(Opinion.Channel.ONLINE, 0),
            "offline": channels.get(Opinion.Channel.OFFLINE, 0),
            "sessions": sessions,
        },
        _("经整理，合并重复意见%(m)d条；采纳%(a)d条，部分采纳%(p)d条，未采纳%(n)d条，留作参考%(r)d条。")
        % {
            "m": merged,
            "a": outcomes.get(Opinion.Outcome.ADOPTED, 0),
            "p": outcomes.get(Opinion.Outcome.PARTLY, 0),
            "n": outcomes.get(Opinion.Outcome.NOT_ADOPTED, 0),
            "r": outcomes.get(Opinion.Outcome.REFERENCE, 0),
        },
    ]
    by_article = Counter(o.node.label if o.node else _("总体意见") for o in rows)
    if by_article:
        counts = "、".join(_("%(label)s %(n)d条") % {"label": k, "n": v} for k, v in by_article.most_common())
        lines.append(_("意见较集中的条文：%(counts)s。") % {"counts": counts})
    for opinion in rows:
        if opinion.outcome in (Opinion.Outcome.ADOPTED, Opinion.Outcome.PARTLY) and opinion.merged_into_id is None:
            where = opinion.node.label if opinion.node else _("总体")
            lines.append(
                _("%(where)s：%(summary)s——%(outcome)s。%(reason)s")
                % {
                    "where": where,
                    "summary": opinion.summary or opinion.content,
                    "outcome": opinion.get_outcome_display(),
                    "reason": opinion.outcome_reason,
                }
            )
    return "\n".join(lines)


@transaction.atomic
def draft_notify(*, actor: Any, draft_id: int, version: int) -> Draft:
    """Publish the summary notice once the period has closed."""
    resolved = resolve(actor)
    if not is_staff(resolved):
        raise PermissionDenied()
    draft = load(Draft, draft_id)
    check_version(draft, version)
    if draft.status != Draft.Status.CLOSED:
        raise InvalidTransition(_("征求意见期结束后才能通报征求意见情况。"))
    versioned_update(
        Draft.objects.filter(pk=draft.pk),
        expected_version=version,
        status=Draft.Status.NOTIFIED,
        summary_notice=summary_notice(draft),
        notified_at=timezone.now(),
    )
    return load(Draft, draft.pk)


def _author(opinion: Opinion) -> str:
    if opinion.is_anonymous or not opinion.author_name:
        return _("匿名")
    return mask_name(opinion.author_name)


def draft_word(draft: Draft) -> bytes:
    """The drafting office's report: each article's words and the opinions on it with their answers."""
    import docx

    document = docx.Document()
    document.add_heading(_("《%(title)s》意见汇总") % {"title": draft.title}, level=1)
    document.add_paragraph(summary_notice(draft))
    rows = opinion_rows(draft)
    by_node: dict[int | None, list[Opinion]] = {}
    for opinion in rows:
        by_node.setdefault(opinion.node_id, []).append(opinion)
    general = by_node.get(None, [])
    if general:
        document.add_heading(_("总体意见"), level=2)
        _opinion_table(document, general)
    for node in DraftNode.objects.filter(draft=draft, text_version=draft.text_version).order_by("position"):
        opinions = by_node.get(node.pk, [])
        if node.kind in ("part", "chapter", "section"):
            document.add_heading(f"{node.label} {node.title}", level=2)
        elif node.kind == "article":
            document.add_heading(node.label, level=3)
        else:
            document.add_paragraph(node.text)
        if opinions:
            _opinion_table(document, opinions)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _opinion_table(document: Any, opinions: list[Opinion]) -> None:
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, (_("编号"), _("意见"), _("来源"), _("采纳情况"), _("理由")), strict=True
    ):
        cell.text = text
    for opinion in opinions:
        source = opinion.session.get_kind_display() if opinion.session else opinion.get_channel_display()
        cells = table.add_row().cells
        values = (
            opinion.number,
            opinion.content,
            f"{source} · {_author(opinion)}",
            opinion.get_outcome_display() if opinion.outcome else opinion.get_status_display(),
            opinion.outcome_reason,
        )
        for cell, value in zip(cells, values, strict=True):
            cell.text = value


def draft_excel(draft: Draft) -> bytes:
    """Every opinion a row (masked author), for the drafting office's own sorting."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("意见")
    sheet.append(
        [_("编号"), _("条文"), _("所选段落"), _("意见"), _("渠道"), _("活动"), _("联系点"), _("提出人"), _("身份"),
         _("状态"), _("合并到"), _("报送对象"), _("采纳情况"), _("理由"), _("收到时间")]
    )  # fmt: skip
    for o in opinion_rows(draft):
        sheet.append(
            [
                o.number,
                o.node.label if o.node else _("总体"),
                o.passage,
                o.content,
                o.get_channel_display(),
                str(o.session) if o.session else "",
                o.point.name if o.point else "",
                _author(o),
                o.get_identity_display(),
                o.get_status_display(),
                o.merged_into.number if o.merged_into else "",
                o.submitted_to,
                o.get_outcome_display() if o.outcome else "",
                o.outcome_reason,
                timezone.localtime(o.received_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def masked_phone(value: str) -> str:
    return mask_phone(value)

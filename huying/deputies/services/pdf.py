"""The 人民调解协议书 as a PDF (reportlab, the built-in STSong-Light CID font: no font file shipped),
with the contents 人民调解法 Art. 29 fixes and the signatures and seal that make it effective."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.masking import mask_id_number

from ..models import MediationCase

FONT = "STSong-Light"


def _styles() -> tuple[object, object, object]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1, spaceAfter=12)
    head = ParagraphStyle("head", fontName=FONT, fontSize=12, leading=18, spaceBefore=8)
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18, wordWrap="CJK")
    return title, head, body


def _when(value: object) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else _("（未签）")  # type: ignore[arg-type]


def agreement_pdf(case: MediationCase) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    title, head, body = _styles()
    parties = list(case.parties.all())
    flow = [
        Paragraph(escape(_("人民调解协议书")), title),
        Paragraph(
            escape(_("%(committee)s　编号：%(number)s") % {"committee": case.committee.name, "number": case.number}),
            body,
        ),
        Paragraph(escape(_("一、当事人基本情况")), head),
    ]
    for party in parties:
        details = "，".join(x for x in (party.role, party.name, mask_id_number(party.id_number), party.address) if x)
        flow.append(Paragraph(escape(details), body))
    sections = (
        (_("二、纠纷主要事实、争议事项"), f"{case.facts}\n{case.claims}".strip()),
        (_("三、各方当事人的责任"), case.responsibilities),
        (_("四、协议内容"), case.agreement),
        (_("五、履行协议的方式、地点、期限"), case.performance),
    )
    for heading, text in sections:
        flow.append(Paragraph(escape(heading), head))
        flow.extend(Paragraph(escape(line), body) for line in text.splitlines() if line.strip())
    flow.append(
        Paragraph(
            escape(
                _(
                    "六、本协议书自各方当事人签名、调解员签名并加盖人民调解委员会印章之日起生效，一式%(n)d份，当事人各执一份，人民调解委员会留存一份。"
                )
                % {"n": len(parties) + 1}
            ),
            head,
        )
    )
    flow.append(Paragraph(escape(_("当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。")), body))
    flow.append(Paragraph(escape(_("签名")), head))
    for party in parties:
        flow.append(
            Paragraph(
                escape(_("当事人（签名）：%(name)s　%(at)s") % {"name": party.name, "at": _when(party.signed_at)}), body
            )
        )
    mediators = "、".join(m.display_name or m.username for m in case.mediators.all())
    flow.append(
        Paragraph(
            escape(_("调解员（签名）：%(names)s　%(at)s") % {"names": mediators, "at": _when(case.mediator_signed_at)}),
            body,
        )
    )
    seal = _("（印章）%(committee)s　%(at)s") % {"committee": case.committee.name, "at": _when(case.seal_applied_at)}
    flow.append(Paragraph(escape(seal), body))
    if case.effective_at:
        flow.append(
            Paragraph(
                escape(
                    _("生效日期：%(d)s；申请司法确认截止：%(c)s")
                    % {"d": _when(case.effective_at), "c": case.confirmation_due}
                ),
                body,
            )
        )
    else:
        flow.append(Paragraph(escape(_("本协议尚未生效（签名或印章未齐）。")), body))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=_("人民调解协议书"), author=case.committee.name).build(flow)
    return out.getvalue()

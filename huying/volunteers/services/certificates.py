"""志愿服务记录证明: issued free, on request, by the unit that organised and recorded the service
(谁记录谁证明, 民政部令第67号), only for hours that unit confirmed.

The PDF (reportlab, its built-in CID font STSong-Light for Chinese) carries what the 2015 guidance
on certificates asks: the volunteer's name, document type and number (masked, as everywhere on the
platform), volunteer number, each record (activity, date, place, hours) and the total, the issuing
unit and who confirmed the hours, the certificate number and date, and a QR (segno) to the public
verification page. The verification link carries a check code (HMAC of the number), so numbers
cannot be walked.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
from decimal import Decimal
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from huying.core.errors import NotFound, ValidationFailed
from huying.core.masking import mask_id_number
from huying.organisations.models import OrgUnit

from .. import errors, states
from ..activity_models import Certificate, SignUp
from ..models import Volunteer
from ..permissions import require_volunteer, resolve

FONT = "STSong-Light"


def check_code(number: str) -> str:
    key = f"volunteer-certificate:{settings.SECRET_KEY}".encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()[:16]


def confirmed_records(volunteer: Volunteer, issuer: OrgUnit | None = None) -> list[SignUp]:
    rows = SignUp.objects.filter(volunteer=volunteer, status=states.CONFIRMED).select_related(
        "activity__org_unit", "confirmed_by"
    )
    if issuer is not None:
        rows = rows.filter(activity__org_unit=issuer)
    return list(rows.order_by("activity__starts_at", "id"))


@transaction.atomic
def certificate_issue(*, actor: Any, issuer_id: int) -> Certificate:
    volunteer = require_volunteer(resolve(actor))
    issuer = OrgUnit.objects.filter(pk=issuer_id).first()
    if issuer is None:
        raise NotFound()
    records = [r for r in confirmed_records(volunteer, issuer) if r.hours]
    if not records:
        raise ValidationFailed(errors.codes.codes[errors.NO_CONFIRMED_HOURS], code=errors.NO_CONFIRMED_HOURS)
    total = sum((r.hours or Decimal(0) for r in records), Decimal(0))
    number = f"ZM{timezone.localdate():%Y%m%d}{secrets.randbelow(10**8):08d}"
    return Certificate.objects.create(
        number=number,
        volunteer=volunteer,
        issuer=issuer,
        hours=total,
        check_code=check_code(number),
        records=[
            {
                "record": r.record_number,
                "activity": r.activity.title,
                "date": f"{timezone.localtime(r.activity.starts_at):%Y-%m-%d}",
                "place": r.activity.address,
                "hours": str(r.hours),
                "confirmed_by": (r.confirmed_by.get_full_name() or r.confirmed_by.username) if r.confirmed_by else "",
            }
            for r in records
        ],
    )


def certificate_verify(number: str, code: str) -> Certificate:
    certificate = Certificate.objects.select_related("volunteer", "issuer").filter(number=number).first()
    if certificate is None or not hmac.compare_digest(certificate.check_code, (code or "")[:16]):
        raise NotFound()
    return certificate


def _qr(pdf: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR as vector squares (no image library between segno and the PDF)."""
    matrix = segno.make(url, error="m").matrix
    cell = size / (len(matrix) + 8)
    for row_no, row in enumerate(matrix):
        for col_no, dark in enumerate(row):
            if dark:
                pdf.rect(x + (col_no + 4) * cell, y + size - (row_no + 5) * cell, cell, cell, stroke=0, fill=1)
    pdf.linkURL(url, (x, y, x + size, y + size), relative=0)


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    pdf.setTitle(_("志愿服务记录证明") + " " + certificate.number)
    width, height = A4
    volunteer = certificate.volunteer
    pdf.setFont(FONT, 22)
    pdf.drawCentredString(width / 2, height - 30 * mm, _("志愿服务记录证明"))
    pdf.setFont(FONT, 11)
    y = height - 45 * mm
    lines = [
        _("证明编号：%(n)s") % {"n": certificate.number},
        _("志愿者姓名：%(n)s    性别：%(g)s")
        % {"n": volunteer.real_name, "g": _("男") if volunteer.gender == "M" else _("女")},
        _("证件类型：居民身份证    证件号码：%(id)s") % {"id": mask_id_number(volunteer.id_number)},
        _("志愿者编号：%(n)s") % {"n": volunteer.number},
        _("兹证明该志愿者参加以下志愿服务，服务时长合计 %(h)s 小时：") % {"h": certificate.hours},
    ]
    for line in lines:
        pdf.drawString(20 * mm, y, line)
        y -= 8 * mm
    pdf.setFont(FONT, 10)
    for record in certificate.records:
        pdf.drawString(24 * mm, y, f"{record['date']}  {record['activity'][:30]}  {record['place'][:24]}  "
                                   + _("%(h)s小时") % {"h": record["hours"]})  # fmt: skip
        y -= 6 * mm
    pdf.setFont(FONT, 11)
    y -= 6 * mm
    handlers = "、".join(sorted({r["confirmed_by"] for r in certificate.records if r["confirmed_by"]}))
    for line in (
        _("出具单位：%(u)s") % {"u": certificate.issuer.name},
        _("记录人：%(p)s") % {"p": handlers or "—"},
        _("出具日期：%(d)s") % {"d": f"{timezone.localtime(certificate.issued_at):%Y-%m-%d}"},
        _("扫描右侧二维码或访问以下地址核验本证明："),
    ):
        pdf.drawString(20 * mm, y, line)
        y -= 8 * mm
    pdf.setFont("Helvetica", 8)
    pdf.drawString(20 * mm, y, verify_url)
    _qr(pdf, verify_url, width - 60 * mm, y - 5 * mm, 40 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()

"""Pages of grid management. The public 网格公示牌 needs no login (滨州市社会治理网格化服务管理条例 Art. 6
asks that a grid's name, area, 网格员 and phone and the 监督电话 be published)."""

from __future__ import annotations

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from huying.core.errors import NotFound

from .. import selectors


@require_GET
def notice_card(request: HttpRequest, code: str) -> HttpResponse:
    try:
        card = selectors.grid_notice_card(code=code)
    except NotFound:
        raise Http404() from None
    url = request.build_absolute_uri(reverse("grids:notice_card", args=[card.grid.code]))
    qr = str(segno.make(url, error="m").svg_inline(scale=5, border=2, title=_("网格公示牌二维码")))
    return render(request, "grids/notice_card.html", {"card": card, "qr_svg": qr, "card_url": url})

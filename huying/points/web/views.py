"""A person's points on the phone: balances, statement, claims with their reasons, the expiry notice,
and the one-time QR code to show at a merchant."""

from __future__ import annotations

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from huying.accounts.selectors import actor_for
from huying.core.errors import HuyingError

from .. import selectors
from ..services import redeem


def qr_svg(token: str) -> str:
    return str(segno.make(token, error="m").svg_inline(scale=4, border=2, title=_("积分兑换码")))


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "points/mine.html", {"s": selectors.statement(request.user)})


def _account_choice(request: HttpRequest) -> redeem.Account | None:
    wanted = request.GET.get("account", "")
    for account in redeem.spendable_accounts(request.user):
        if str(account.pk) == wanted:
            return account
    return None


@login_required
@require_GET
@never_cache
def code(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    account = _account_choice(request)
    context: dict[str, object] = {"ttl": redeem.TOKEN_TTL_SECONDS, "account": account}
    try:
        token = redeem.token_issue(actor=actor, account=account)
        context.update(token=token, qr=qr_svg(token))
    except HuyingError as exc:
        context["error"] = exc
    context["balance"] = sum(a.balance for a in redeem.spendable_accounts(request.user))
    return render(request, "points/code.html", context)


@login_required
@require_GET
@never_cache
def code_json(request: HttpRequest) -> HttpResponse:
    """A fresh code for the page's refresh (every two minutes, or on the button)."""
    try:
        token = redeem.token_issue(actor=actor_for(request.user), account=_account_choice(request))
    except HuyingError as exc:
        return JsonResponse({"code": exc.code, "detail": str(exc.message)}, status=exc.status)
    return JsonResponse({"token": token, "svg": qr_svg(token), "expires_in": redeem.TOKEN_TTL_SECONDS})

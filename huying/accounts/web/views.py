from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import HuyingError
from huying.core.registry import MAIN_MENU

from ..services import login_check
from ..tokens import token_revoke, tokens_of
from . import navigation
from .access import role_required


def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own work page (as its app registered it); the public sees the portal."""
    actor = actor_for(request.user)
    work_page = navigation.home_url_name(actor)
    if work_page is not None:
        return redirect(work_page)
    return render(request, "home.html", {"tiles": navigation.home_tiles(actor)})


@require_GET
@role_required(Role.ADMIN)
def admin_home(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The administrator's work page: the admin site and every page of the main menu the role opens
    (the catalogue and licence imports, ...), as the apps registered them."""
    links = [link for link in navigation.menu_links(request, actor, MAIN_MENU) if not link.current]
    return render(request, "accounts/admin_home.html", {"links": links})


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    error = None
    status = 200
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        try:
            user = login_check(
                request=request,
                username=request.POST.get("username", "").strip(),
                password=request.POST.get("password", ""),
            )
        except HuyingError as exc:
            error, status = exc.message, exc.status
        else:
            login(request, user)
            if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                return redirect(next_url)
            return redirect("home")
    return render(request, "accounts/login.html", {"error": error, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")


@login_required
@require_http_methods(["GET"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    """The signed-in user's API tokens: prefix, issued, last use, expiry, with a revoke button."""
    return render(request, "accounts/tokens.html", {"tokens": list(tokens_of(actor_for(request.user).user))})


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = token_revoke(token_id=token_id, actor=actor_for(request.user))
    messages.success(request, _("令牌 %(prefix)s… 已吊销，使用它的对接系统须重新获取令牌。") % {"prefix": token.prefix})
    return redirect("accounts:tokens")

"""The reviewer's queue (审核 → 认定/不予认定 → 公示 → 入账, corrections by reversal), the public
board (claims under 公示 and the monthly 张榜, names masked) with objections, and the figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError, NotFound
from huying.core.params import choice_param

from .. import selectors
from ..ledger_models import Publication
from ..services.publication import mask_name
from ..services.review import claim_act
from ..states import REVIEWER, TRANSITIONS, ClaimAction, ClaimStatus


@role_required(Role.POINTS_REVIEWER)
@require_GET
def queue(request: HttpRequest, actor: Actor) -> HttpResponse:
    status = choice_param(request.GET.get("status"), name="status", choices=ClaimStatus.values)
    claims = list(selectors.review_queue(actor, status)[:100])
    for claim in claims:
        claim.actions = list(TRANSITIONS.allowed(claim.status, {REVIEWER}))  # type: ignore[attr-defined]
    return render(request, "points/review.html", {"claims": claims, "status": status, "statuses": ClaimStatus.choices})


@require_POST
def act(request: HttpRequest, claim_id: int) -> HttpResponse:
    """One action on a claim: a reviewer's decision, or anyone's objection during 公示."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    action = request.POST.get("action", "")
    try:
        claim = claim_act(
            actor=actor_for(request.user),
            claim=claim_id,
            action=action,
            note=request.POST.get("note", ""),
            expected_version=int(request.POST["version"]) if request.POST.get("version", "").isdigit() else None,
        )
        label = ClaimAction(action).label if action in ClaimAction.values else action
        messages.success(request, _("申报 %(number)s：%(action)s。") % {"number": claim.number, "action": label})
    except HuyingError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/points/review/"
    return redirect(back)


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    claims = [
        {"claim": c, "name": mask_name(c.user.display_name or c.user.username, c.scheme.masking if c.scheme else "")}
        for c in selectors.publicised()[:100]
    ]
    publications = Publication.objects.select_related("scheme")[:12]
    return render(request, "points/board.html", {"claims": claims, "publications": publications})


@role_required(Role.POINTS_REVIEWER, Role.SUPERVISOR, Role.ADMIN)
@require_GET
def figures(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "points/figures.html", {"f": selectors.figures(actor)})

"""The notice board: the staff's publication page through the four steps, and the public page of each
village or community (phone-readable, printable for the physical board)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from huying.accounts.selectors import Actor, actor_for
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError, NotFound

from .. import selectors, services
from ..models import CatalogueItem, CommunityProfile, Publication, Topic
from ..permissions import table_roles
from ..services.board import needs_repost, objection_window
from ..states import PUBLICATION_TRANSITIONS
from .common import STAFF_ROLES, attempt, int_or


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def publication_new(request: HttpRequest, actor: Actor, slug: str) -> HttpResponse:
    profile = selectors.profile_for_staff(actor, slug)
    error = ""
    if request.method == "POST":
        made: list[Publication] = []
        try:
            made.append(
                services.publication_create(
                    actor=actor,
                    unit=profile.unit,
                    item_code=request.POST.get("item", ""),
                    title=request.POST.get("title", ""),
                    body=request.POST.get("body", ""),
                )
            )
        except HuyingError as exc:
            error = str(exc.message)
        else:
            return redirect("community:publication", publication_id=made[0].pk)
    items = CatalogueItem.objects.filter(is_active=True)
    return render(request, "community/publication_new.html", {"profile": profile, "items": items, "error": error})


@require_http_methods(["GET", "POST"])
def publication(request: HttpRequest, publication_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    actor = actor_for(request.user)
    found = Publication.objects.select_related("unit__community_profile", "item").filter(pk=publication_id).first()
    if found is None:
        raise Http404()
    try:
        roles = table_roles(actor, found.unit)
    except NotFound:
        raise Http404() from None
    error = ""
    if request.method == "POST":
        response, error = attempt(request, lambda: _post(request, actor, found), "community:publication", found.pk)
        if response is not None:
            return response
        found.refresh_from_db()
    context = {
        "p": found,
        "actions": PUBLICATION_TRANSITIONS.allowed(found.status, roles),
        "staff": "community_staff" in roles,
        "versions": found.versions.order_by("-number"),
        "postings": found.postings.order_by("-posted_at"),
        "objections": found.objections.all(),
        "repost": needs_repost(found),
        "objection_until": objection_window(found),
        "error": error,
    }
    return render(request, "community/publication.html", context)


def _post(request: HttpRequest, actor: Actor, found: Publication) -> None:
    data, version = request.POST, int_or(request.POST.get("version"))
    action = data.get("action", "")
    if action == "edit":
        services.publication_edit(
            actor=actor,
            publication_id=found.pk,
            version=version,
            title=data.get("title", ""),
            body=data.get("body", ""),
        )
    elif action == "take_down":
        services.posting_take_down(
            actor=actor, publication_id=found.pk, came_down=bool(data.get("came_down")), reason=data.get("reason", "")
        )
    elif action == "repost":
        services.posting_repost(actor=actor, publication_id=found.pk)
    elif action == "answer":
        services.objection_answer(
            actor=actor, objection_id=int_or(data.get("objection")), answer=data.get("answer", ""),
            late_reason=data.get("late_reason", ""),
        )  # fmt: skip
    else:
        services.publication_act(
            actor=actor, publication_id=found.pk, version=version, action=action, note=data.get("note", "")
        )


@require_http_methods(["GET"])
def board(request: HttpRequest, slug: str) -> HttpResponse:
    """The public notice board of one village or community: anyone may read it."""
    try:
        profile = selectors.profile_public(slug)
    except NotFound:
        raise Http404() from None
    return render(request, "community/board.html", {"b": selectors.public_board(profile)})


@require_http_methods(["GET", "POST"])
def board_act(request: HttpRequest, slug: str) -> HttpResponse:
    """A signed-in resident objects to a posting, joins a demand or a proposal, or proposes a topic."""
    try:
        profile = selectors.profile_public(slug)
    except NotFound:
        raise Http404() from None
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    error = ""
    if request.method == "POST":
        response, error = attempt(request, lambda: _resident_post(request, profile), "community:board", profile.slug)
        if response is not None:
            return response
    board_data = selectors.public_board(profile)
    return render(request, "community/board_act.html", {"b": board_data, "error": error})


def _resident_post(request: HttpRequest, profile: CommunityProfile) -> None:
    data, user, unit = request.POST, request.user, profile.unit
    action = data.get("action", "")
    if action == "object":
        services.objection_raise(actor=user, publication_id=int_or(data.get("publication")), text_=data.get("text", ""))
    elif action == "demand":
        demand_id = int_or(data.get("demand")) if data.get("demand") else None
        services.demand_support(actor=user, unit=unit, text_=data.get("text", ""), demand_id=demand_id)
    elif action == "propose":
        services.topic_propose(
            actor=user, unit=unit, title=data.get("title", ""), text=data.get("text", ""),
            scope=data.get("scope", Topic.Scope.COMMUNITY),
        )  # fmt: skip
    elif action == "sign":
        services.topic_sign(actor=user, topic_id=int_or(data.get("topic")))
    else:
        raise NotFound()

"""Rules of procedure and compacts: every version, and a proposed revision that goes to consultation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError

from .. import selectors, services
from ..models import RuleDocument, Topic
from .common import STAFF_ROLES, int_or


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, actor: Actor, slug: str) -> HttpResponse:
    profile = selectors.profile_for_staff(actor, slug)
    error = ""
    if request.method == "POST":
        data = request.POST
        made: list[Topic] = []
        try:
            if data.get("action") == "create":
                services.document_create(
                    actor=actor, unit=profile.unit, kind=data.get("kind", ""), title=data.get("title", ""),
                    text_=data.get("text", ""),
                )  # fmt: skip
            else:
                document = RuleDocument.objects.filter(pk=int_or(data.get("document")), unit=profile.unit).first()
                made.append(
                    services.document_revision_raise(
                        actor=actor,
                        document_id=document.pk if document else -1,
                        title=data.get("title", ""),
                        proposed_text=data.get("text", ""),
                        reason=data.get("reason", ""),
                    )
                )
        except HuyingError as exc:
            error = str(exc.message)
        else:
            if made:
                return redirect("community:topic", topic_id=made[0].pk)
            return redirect("community:documents", slug=slug)
    docs = RuleDocument.objects.filter(unit=profile.unit).prefetch_related("versions")
    context = {"profile": profile, "documents": docs, "kinds": RuleDocument.Kind.choices, "error": error}
    return render(request, "community/documents.html", context)

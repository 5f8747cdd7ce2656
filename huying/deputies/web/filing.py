"""Pages of filing review and the figures page."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.organisations.models import OrgUnit

from .. import figures as figures_module
from .. import labels, states
from ..models import Expert, FiledDocument
from ..services import filing as services
from .common import attempt, post_date, post_int


@role_required(Role.LEGISLATIVE_STAFF)
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, actor: Actor) -> HttpResponse:
    error = ""
    if request.method == "POST":
        maker = OrgUnit.objects.filter(pk=post_int(request, "maker") or 0).first()
        published = post_date(request, "published_on")
        if maker is None or published is None:
            error = _("请选择制定机关并填写公布日期。")
        else:
            doc, error = attempt(
                request,
                lambda: services.document_file(
                    actor=actor,
                    title=request.POST.get("title", ""),
                    maker=maker,
                    field=request.POST.get("field", ""),
                    published_on=published,
                    filed_on=post_date(request, "filed_on"),
                    requester=request.POST.get("requester", ""),
                ),
            )
            if doc is not None:
                return redirect("deputies:document", document_id=doc.pk)
    rows = FiledDocument.objects.select_related("maker")[:100]
    context = {
        "rows": [(d, labels.text(labels.FILING, d.status)) for d in rows],
        "fields": services.FIELDS.items(),
        "makers": OrgUnit.objects.exclude(kind=OrgUnit.Kind.COMMUNITY).order_by("name"),
        "experts": Expert.objects.all(),
        "error": error,
    }
    return render(request, "deputies/filing.html", context)


def _call(request: HttpRequest, actor: Actor, doc: FiledDocument) -> Any:
    action = request.POST.get("action", "")
    v = post_int(request, "version")
    version = v if v is not None else -1
    if action == "review":
        seed = request.POST.get("seed") if request.POST.get("method") == "random" else None
        return lambda: services.review_start(
            actor=actor,
            document_id=doc.pk,
            version=version,
            experts=post_int(request, "experts") or 2,
            random_seed=seed,
        )
    if action == "assign":
        return lambda: services.expert_assign(
            actor=actor, document_id=doc.pk, expert_id=post_int(request, "expert") or 0
        )
    if action == "told":
        return lambda: services.requester_told(actor=actor, document_id=doc.pk)
    if action in {t.action for t in states.FILING_TRANSITIONS.transitions}:
        return lambda: services.review_decide(
            actor=actor, document_id=doc.pk, version=version, action=action, note=request.POST.get("note", "")
        )
    raise Http404()


@role_required(Role.LEGISLATIVE_STAFF)
@require_http_methods(["GET", "POST"])
def document(request: HttpRequest, actor: Actor, document_id: int) -> HttpResponse:
    doc = FiledDocument.objects.select_related("maker").filter(pk=document_id).first()
    if doc is None:
        raise Http404()
    error = ""
    if request.method == "POST":
        _done, error = attempt(request, _call(request, actor, doc))
        if not error:
            return redirect("deputies:document", document_id=doc.pk)
        doc.refresh_from_db()
    allowed = [t for t in states.FILING_TRANSITIONS.allowed(doc.status, {states.STAFF}) if t.action != "review"]
    context = {
        "d": doc,
        "status": labels.text(labels.FILING, doc.status),
        "field": services.FIELDS.get(doc.field, doc.field),
        "assignments": doc.assignments.select_related("expert"),
        "experts": Expert.objects.all(),
        "allowed": allowed,
        "error": error,
    }
    return render(request, "deputies/document.html", context)


@role_required(Role.LEGISLATIVE_STAFF)
@require_http_methods(["GET"])
def figures(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "deputies/figures.html", {"f": figures_module.all_figures()})

"""Pages of the deputies' mediation room: cases a mediator may see, registration, and the case with
consent, sessions, the agreement, signatures, the seal and the agreement PDF."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.errors import NotFound
from huying.core.masking import mask_phone

from .. import labels, states
from ..models import Committee, MediationCase
from ..services import mediation as services
from ..services.pdf import agreement_pdf
from .common import attempt, post_flag, post_int

ROLES = (Role.MEDIATOR, Role.LEGISLATIVE_STAFF)


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def cases(request: HttpRequest, actor: Actor) -> HttpResponse:
    error = ""
    if request.method == "POST":
        committee = Committee.objects.filter(pk=post_int(request, "committee") or 0).first()
        parties = [
            {"name": request.POST.get(f"party{i}_name", ""), "phone": request.POST.get(f"party{i}_phone", ""),
             "role": _("申请人") if i == 1 else _("被申请人")}
            for i in (1, 2)
        ]  # fmt: skip
        mediators = list(User.objects.filter(pk__in=[x for x in request.POST.getlist("mediators") if x.isdigit()]))
        case, error = attempt(
            request,
            lambda: services.mediation_register(
                actor=actor,
                committee=committee or Committee.objects.order_by("pk").first(),  # type: ignore[arg-type]
                source=request.POST.get("source", ""),
                category=request.POST.get("category", ""),
                facts=request.POST.get("facts", ""),
                claims=request.POST.get("claims", ""),
                parties=parties,
                is_private=post_flag(request, "is_private"),
                mediators=mediators or None,
            ),
            _("已登记调解案件。"),
        )
        if case is not None:
            return redirect("deputies:case", case_id=case.pk)
    rows = services.visible_cases(actor).select_related("committee").order_by("-registered_at")[:100]
    context = {
        "rows": [(c, labels.text(labels.MEDIATION, c.status)) for c in rows],
        "committees": Committee.objects.all(),
        "sources": MediationCase.Source.choices,
        "categories": MediationCase.Category.choices,
        "mediators": User.objects.filter(role_assignments__role=Role.MEDIATOR).distinct().order_by("username"),
        "error": error,
    }
    return render(request, "deputies/mediation.html", context)


def _call(request: HttpRequest, actor: Actor, case: MediationCase) -> Any:
    action = request.POST.get("action", "")
    v = post_int(request, "version")
    version = v if v is not None else -1
    party = post_int(request, "party")
    note = request.POST.get("note", "")
    if action in ("consent", "refuse_party"):
        return lambda: services.party_consent(
            actor=actor, case_id=case.pk, party_id=party or 0, consents=action == "consent"
        )
    if action in ("start", "end", "performed"):
        return lambda: services.mediation_transition(
            actor=actor, case_id=case.pk, version=version, action=action, note=note
        )
    if action == "session":
        return lambda: services.session_log(actor=actor, case_id=case.pk, note=note)
    if action == "agree":
        return lambda: services.mediation_agree(
            actor=actor,
            case_id=case.pk,
            version=version,
            responsibilities=request.POST.get("responsibilities", ""),
            agreement=request.POST.get("agreement", ""),
            performance=request.POST.get("performance", ""),
        )
    if action == "sign":
        return lambda: services.agreement_sign(actor=actor, case_id=case.pk, party_id=party)
    if action == "seal":
        return lambda: services.agreement_seal(actor=actor, case_id=case.pk, version=version)
    raise Http404()


def _case(actor: Actor, case_id: int) -> MediationCase:
    try:
        return services.case_for(actor, case_id)
    except NotFound:
        raise Http404() from None


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def case(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    found = _case(actor, case_id)
    error = ""
    if request.method == "POST":
        _done, error = attempt(request, _call(request, actor, found))
        if not error:
            return redirect("deputies:case", case_id=found.pk)
        found = _case(actor, case_id)
    mediator = found.mediators.filter(pk=actor.user.pk).exists()
    allowed = (
        {t.action for t in states.MEDIATION_TRANSITIONS.allowed(found.status, {states.MEDIATOR})} if mediator else set()
    )
    parties = [(p, mask_phone(p.phone)) for p in found.parties.all()]
    context = {
        "c": found,
        "status": labels.text(labels.MEDIATION, found.status),
        "parties": parties,
        "sessions": found.sessions.all(),
        "mediators": found.mediators.all(),
        "allowed": allowed,
        "mediator": mediator,
        "error": error,
    }
    return render(request, "deputies/case.html", context)


@role_required(*ROLES)
@require_http_methods(["GET"])
def case_pdf(request: HttpRequest, actor: Actor, case_id: int) -> HttpResponse:
    found = _case(actor, case_id)
    if not found.agreement:
        raise Http404()
    response = HttpResponse(agreement_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{found.number}.pdf"'
    return response

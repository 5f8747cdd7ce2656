"""The volunteer's phone pages: registration, the demand menu with suggestions, claiming, the record
and certificates. Public: the certificate verification page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huying.accounts.selectors import actor_for
from huying.core.clientip import client_ip
from huying.core.errors import HuyingError, NotFound
from huying.core.masking import mask_id_number

from .. import selectors, services
from ..activity_models import Certificate
from ..models import Need
from ..permissions import volunteer_of
from . import forms


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    volunteer = volunteer_of(actor)
    context = {
        "volunteer": volunteer,
        "suggested": selectors.needs_for_volunteer(volunteer) if volunteer else [],
        "my_claims": volunteer.claimed_needs.exclude(status=Need.Status.DONE) if volunteer else [],
        "my_needs": selectors.needs_of_requester(actor)[:20],
        "activities": selectors.recruiting_activities(volunteer) if volunteer else [],
        "invites": volunteer.invites.select_related("callout").order_by("-id")[:10] if volunteer else [],
        "shifts": volunteer.duty_shifts.select_related("hall", "swap_to").order_by("-starts_at")[:10]
        if volunteer
        else [],
        "now": timezone.now(),
    }
    return render(request, "volunteers/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    if volunteer_of(actor) is not None:
        return redirect("volunteers:home")
    error = ""
    if request.method == "POST":
        try:
            services.volunteer_register(
                actor=actor,
                real_name=request.POST.get("real_name", ""),
                id_number=request.POST.get("id_number", ""),
                phone=request.POST.get("phone", ""),
                skill_codes=forms.skill_codes(request.POST),
                availability=forms.availability(request.POST),
                latitude=request.POST.get("latitude"),
                longitude=request.POST.get("longitude"),
                publish_consent=forms.checked(request, "publish_consent"),
                guardian_name=request.POST.get("guardian_name", ""),
                guardian_phone=request.POST.get("guardian_phone", ""),
                guardian_consent=forms.checked(request, "guardian_consent"),
            )
        except HuyingError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("注册成功，欢迎加入志愿服务。"))
            return redirect("volunteers:home")
    context = {"error": error, "tree": forms.SKILL_TREE, "days": forms.DAYS, "form": request.POST,
               "chosen": forms.skill_codes(request.POST)}  # fmt: skip
    return render(request, "volunteers/register.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            need = services.need_publish(
                actor=request.user,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                address=request.POST.get("address", ""),
                latitude=request.POST.get("latitude"),
                longitude=request.POST.get("longitude"),
                starts_at=forms.parse_local(request.POST.get("starts_at")),
                ends_at=forms.parse_local(request.POST.get("ends_at")),
                skill_codes=forms.skill_codes(request.POST),
                contact_name=request.POST.get("contact_name", ""),
                contact_phone=request.POST.get("contact_phone", ""),
                source=request.POST.get("source", Need.Source.RESIDENT),
            )
        except HuyingError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("需求已发布，编号 %(n)s。") % {"n": need.number})
            return redirect("volunteers:need", need_id=need.pk)
    context = {"error": error, "tree": forms.SKILL_TREE, "form": request.POST, "sources": Need.Source.choices[:2],
               "chosen": forms.skill_codes(request.POST)}  # fmt: skip
    return render(request, "volunteers/need_new.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def need_detail(request: HttpRequest, need_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    need = Need.objects.select_related("station__org_unit", "claimed_by").filter(pk=need_id).first()
    if need is None:
        raise Http404()
    if request.method == "POST" and request.POST.get("action") == "claim" and volunteer_of(actor) is not None:
        return _claim(request, need)
    roles = services.needs.need_roles(actor, need)
    if not roles:
        raise Http404()
    error, revealed = "", {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "rate":
                rating = request.POST.get("rating", "")
                services.need_rate(actor=actor, need_id=need.pk, version=forms.version_of(request),
                                   rating=int(rating) if rating.isdigit() else 0,
                                   comment=request.POST.get("comment", ""))  # fmt: skip
                messages.success(request, _("感谢您的评价。"))
            elif action == "reveal":
                revealed = services.need_reveal_contact(actor=actor, need=need, purpose=request.POST.get("purpose", ""),
                                                        ip_address=client_ip(request))  # fmt: skip
            elif action == "release":
                services.need_release(actor=actor, need_id=need.pk, version=forms.version_of(request),
                                      note=request.POST.get("note", ""))  # fmt: skip
                messages.success(request, _("已退回需求菜单。"))
            else:
                raise Http404()
        except HuyingError as exc:
            error = str(exc.message)
        else:
            if action != "reveal":
                return redirect("volunteers:need", need_id=need.pk)
    activity = getattr(need, "activity", None)
    context = {
        "need": need, "roles": roles, "error": error, "activity": activity,
        "skill_names": selectors.skills.names(need.skills),
        "suggestions": selectors.suggest_volunteers(need) if "organiser" in roles else [],
        "mine": volunteer_of(actor) == need.claimed_by if need.claimed_by else False,
        "revealed": revealed,
    }  # fmt: skip
    return render(request, "volunteers/need.html", context)


@login_required
@require_POST
def activity_signup(request: HttpRequest, activity_id: int) -> HttpResponse:
    try:
        signup = services.signup_create(actor=request.user, activity_id=activity_id)
    except HuyingError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("报名成功。") if signup.status == "enrolled" else _("名额已满，您已进入候补名单。"))
    return redirect("volunteers:home")


def _claim(request: HttpRequest, need: Need) -> HttpResponse:
    """A claim; the volunteer who lost the race is told on their home page (the need is no longer theirs to see)."""
    try:
        services.need_claim(actor=request.user, need_id=need.pk, version=forms.version_of(request))
    except HuyingError as exc:
        messages.error(request, str(exc.message))
        return redirect("volunteers:home")
    messages.success(request, _("认领成功，请按约定时间到场服务，到场后扫描现场二维码签到。"))
    return redirect("volunteers:need", need_id=need.pk)


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    volunteer = volunteer_of(actor)
    if volunteer is None:
        return redirect("volunteers:register")
    error = ""
    if request.method == "POST":
        issuer = request.POST.get("issuer", "")
        try:
            certificate = services.certificate_issue(actor=actor, issuer_id=int(issuer) if issuer.isdigit() else 0)
        except (HuyingError, NotFound) as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("证明已出具，编号 %(n)s。") % {"n": certificate.number})
            return redirect("volunteers:record")
    context = {"r": selectors.volunteer_record(volunteer), "error": error,
               "masked_id": mask_id_number(volunteer.id_number)}  # fmt: skip
    return render(request, "volunteers/record.html", context)


def _verify_url(request: HttpRequest, certificate: Certificate) -> str:
    path = reverse("volunteers:verify", args=[certificate.number, certificate.check_code])
    return request.build_absolute_uri(path)


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, number: str) -> HttpResponse:
    volunteer = volunteer_of(actor_for(request.user))
    certificate = Certificate.objects.select_related("issuer", "volunteer").filter(number=number).first()
    if certificate is None or volunteer is None or certificate.volunteer_id != volunteer.pk:
        raise Http404()
    body = services.certificate_pdf(certificate, _verify_url(request, certificate))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


@require_GET
def verify(request: HttpRequest, number: str, code: str) -> HttpResponse:
    try:
        certificate = services.certificate_verify(number, code)
    except NotFound:
        return render(request, "volunteers/verify.html", {"certificate": None}, status=404)
    name = certificate.volunteer.real_name
    masked_name = name[0] + "*" * (len(name) - 1)
    context = {"certificate": certificate, "masked_name": masked_name,
               "masked_id": mask_id_number(certificate.volunteer.id_number)}  # fmt: skip
    return render(request, "volunteers/verify.html", context)

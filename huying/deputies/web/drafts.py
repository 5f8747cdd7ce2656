"""Pages of the consultation on drafts: the public list and the draft article by article with its
comment form, the workbench of legislative staff and contact-point informants, the summary notice,
the opinion map and the exports."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor, actor_for
from huying.accounts.web.access import role_required
from huying.core.errors import NotFound
from huying.core.masking import mask_name

from ..models import ContactPoint, Draft, DraftNode, OfflineSession, Opinion
from ..services import drafts as services
from ..services import reports
from .common import attempt, missing, post_date, post_flag, post_int

WORK_ROLES = (Role.LEGISLATIVE_STAFF, Role.CONTACT_POINT)


def _draft(draft_id: int) -> Draft:
    draft = Draft.objects.filter(pk=draft_id).first()
    if draft is None:
        raise Http404()
    return draft


def _create(request: HttpRequest, actor: Actor) -> tuple[Any, str]:
    opens_on, closes_on = post_date(request, "opens_on"), post_date(request, "closes_on")
    if opens_on is None or closes_on is None:
        return None, missing(_("征求意见起止日期"))
    text = request.POST.get("text", "")
    upload = request.FILES.get("docx")
    points = list(ContactPoint.objects.filter(pk__in=[p for p in request.POST.getlist("points") if p.isdigit()]))

    def call() -> Draft:
        body = services.docx_text(upload) if upload is not None else text
        return services.draft_create(
            actor=actor,
            title=request.POST.get("title", ""),
            kind=request.POST.get("kind", Draft.Kind.REGULATION),
            issuing_body=request.POST.get("issuing_body", ""),
            explanation=request.POST.get("explanation", ""),
            text=body,
            opens_on=opens_on,
            closes_on=closes_on,
            short_period_reason=request.POST.get("short_period_reason", ""),
            allows_anonymous=post_flag(request, "allows_anonymous"),
            points=points,
        )

    return attempt(request, call, _("草案已发布征求意见。"))


@require_http_methods(["GET", "POST"])
def drafts(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    staff = services.is_staff(actor) if actor.is_authenticated else False
    error = ""
    if request.method == "POST":
        if not staff:
            raise Http404()
        created, error = _create(request, actor)
        if created is not None:
            return redirect("deputies:draft_work", draft_id=created.pk)
    listed = Draft.objects.annotate(n=Count("opinions")).order_by("-opens_on", "-pk")
    informant = bool(actor.is_authenticated and services.informant_points(actor))
    if not (staff or informant):
        listed = listed.exclude(status=Draft.Status.PREPARING)
    context = {
        "drafts": listed[:50],
        "staff": staff,
        "informant": informant,
        "kinds": Draft.Kind.choices,
        "points": ContactPoint.objects.filter(is_legislative_point=True),
        "error": error,
        "today": timezone.localdate(),
    }
    return render(request, "deputies/drafts.html", context)


def _nodes(draft: Draft) -> list[DraftNode]:
    counts = dict(
        Opinion.objects.filter(draft=draft, node__isnull=False)
        .values_list("node")
        .annotate(n=Count("pk"))
        .values_list("node", "n")
    )
    nodes = list(DraftNode.objects.filter(draft=draft, text_version=draft.text_version).order_by("position"))
    for node in nodes:
        node.opinion_count = counts.get(node.pk, 0)  # type: ignore[attr-defined]
    return nodes


@require_http_methods(["GET", "POST"])
def draft_detail(request: HttpRequest, draft_id: int) -> HttpResponse:
    """The draft article by article; a signed-in resident comments on an article or a passage."""
    draft = _draft(draft_id)
    if draft.status == Draft.Status.PREPARING:
        raise Http404()
    error = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        _done, error = attempt(
            request,
            lambda: services.opinion_submit(
                actor=request.user,
                draft_id=draft.pk,
                node_id=post_int(request, "node"),
                passage=request.POST.get("passage", ""),
                content=request.POST.get("content", ""),
                is_anonymous=post_flag(request, "is_anonymous"),
                may_publish=post_flag(request, "may_publish"),
                identity=request.POST.get("identity", Opinion.Identity.RESIDENT),
            ),
            _("意见已提交，处理结果会在“我的意见”中反馈。"),
        )
        if not error:
            return redirect("deputies:draft", draft_id=draft.pk)
    mine = Opinion.objects.filter(draft=draft, author=request.user) if request.user.is_authenticated else []
    public = draft.opinions.filter(may_publish=True, is_anonymous=False).select_related("node")[:30]
    context = {
        "draft": draft,
        "nodes": _nodes(draft),
        "open": services.is_open(draft, timezone.localdate()),
        "mine": mine,
        "public": [(o, mask_name(o.author_name)) for o in public],
        "identities": Opinion.Identity.choices,
        "error": error,
        "chosen": request.GET.get("node", ""),
    }
    return render(request, "deputies/draft.html", context)


def _work_action(request: HttpRequest, actor: Actor, draft: Draft) -> tuple[Any, str]:
    action = request.POST.get("action", "")
    opinion, version = post_int(request, "opinion") or 0, post_int(request, "version")
    v = version if version is not None else -1
    calls = {
        "close": lambda: services.draft_close(
            actor=actor, draft_id=draft.pk, version=v, reason=request.POST.get("reason", "")
        ),
        "notify": lambda: reports.draft_notify(actor=actor, draft_id=draft.pk, version=v),
        "session": lambda: services.session_record(
            actor=actor,
            draft_id=draft.pk,
            point_id=post_int(request, "point") or 0,
            kind=request.POST.get("kind", ""),
            held_on=post_date(request, "held_on") or timezone.localdate(),
            place=request.POST.get("place", ""),
            attendees=post_int(request, "attendees") or 0,
        ),
        "offline": lambda: services.opinion_record_offline(
            actor=actor,
            session_id=post_int(request, "session") or 0,
            node_id=post_int(request, "node"),
            content=request.POST.get("content", ""),
            author_name=request.POST.get("author_name", ""),
            may_publish=post_flag(request, "may_publish"),
        ),
        "organise": lambda: services.opinion_organise(
            actor=actor, opinion_id=opinion, version=v, summary=request.POST.get("summary", "")
        ),
        "merge": lambda: services.opinion_merge(
            actor=actor, opinion_id=opinion, version=v, into_id=post_int(request, "into") or 0
        ),
        "submit": lambda: services.opinion_submit_upward(
            actor=actor, opinion_id=opinion, version=v, recipient=request.POST.get("recipient", "")
        ),
        "answer": lambda: services.opinion_answer(
            actor=actor,
            opinion_id=opinion,
            version=v,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
            final_article=request.POST.get("final_article", ""),
        ),
    }
    if action not in calls:
        raise Http404()
    return attempt(request, calls[action])


@role_required(*WORK_ROLES)
@require_http_methods(["GET", "POST"])
def draft_work(request: HttpRequest, actor: Actor, draft_id: int) -> HttpResponse:
    """收集 → 整理 → 报送 → 反馈, offline sessions and their opinions, closing and the notice."""
    draft = _draft(draft_id)
    roles = services.opinion_roles(actor, draft)
    if not roles:
        raise NotFound()
    error = ""
    if request.method == "POST":
        _done, error = _work_action(request, actor, draft)
        if not error:
            return redirect("deputies:draft_work", draft_id=draft.pk)
        draft = _draft(draft_id)
    mine = services.informant_points(actor)
    points = draft.points.all() if services.is_staff(actor) else draft.points.filter(pk__in=mine)
    opinions = list(draft.opinions.select_related("node", "session", "point", "merged_into"))
    context = {
        "draft": draft,
        "staff": services.is_staff(actor),
        "nodes": [n for n in _nodes(draft) if n.kind == "article"],
        "opinions": [(o, mask_name(o.author_name) if o.author_name else _("匿名")) for o in opinions],
        "sessions": OfflineSession.objects.filter(draft=draft, point__in=points),
        "points": points,
        "session_kinds": OfflineSession.Kind.choices,
        "outcomes": Opinion.Outcome.choices,
        "counts": {s: sum(1 for o in opinions if o.status == s) for s in Opinion.Status.values},
        "error": error,
    }
    return render(request, "deputies/draft_work.html", context)


@require_http_methods(["GET"])
def draft_notice(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft(draft_id)
    if draft.status != Draft.Status.NOTIFIED:
        raise Http404()
    return render(request, "deputies/draft_notice.html", {"draft": draft, "lines": draft.summary_notice.splitlines()})


def _export(request: HttpRequest, actor: Actor, draft_id: int) -> Draft:
    draft = _draft(draft_id)
    if not services.opinion_roles(actor, draft):
        raise NotFound()
    return draft


@role_required(*WORK_ROLES)
@require_http_methods(["GET"])
def draft_word(request: HttpRequest, actor: Actor, draft_id: int) -> HttpResponse:
    draft = _export(request, actor, draft_id)
    response = HttpResponse(
        reports.draft_word(draft),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="opinions-{draft.pk}.docx"'
    return response


@role_required(*WORK_ROLES)
@require_http_methods(["GET"])
def draft_excel(request: HttpRequest, actor: Actor, draft_id: int) -> HttpResponse:
    draft = _export(request, actor, draft_id)
    response = HttpResponse(
        reports.draft_excel(draft), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="opinions-{draft.pk}.xlsx"'
    return response


@require_http_methods(["GET"])
def my_opinions(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    mine = Opinion.objects.filter(author=request.user).select_related("draft", "node", "merged_into")
    return render(request, "deputies/my_opinions.html", {"opinions": mine})


@require_http_methods(["GET"])
def opinion_map(request: HttpRequest) -> HttpResponse:
    """立法意见建议征集地图: opinions gathered at each contact point, by draft."""
    points = ContactPoint.objects.filter(is_legislative_point=True).annotate(
        opinions_n=Count("opinions", distinct=True),
        adopted_n=Count("opinions", filter=Q(opinions__outcome__in=["adopted", "partly"]), distinct=True),
        sessions_n=Count("sessions", distinct=True),
    )
    return render(request, "deputies/opinion_map.html", {"points": points})

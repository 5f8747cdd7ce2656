"""Staff pages: the community's workbench, raising and following a topic through its meetings, and
carrying it out; the liaison member's findings page (党员问事)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from huying.accounts.selectors import Actor, actor_for
from huying.accounts.web.access import role_required
from huying.core.errors import HuyingError, NotFound

from .. import procedure, selectors, services
from ..models import Body, ConsultPath, Meeting, Topic
from ..permissions import current_members, staff_units
from ..rules import STATUTORY_MATTERS
from ..services.meetings import OPEN_MEETINGS
from ..services.topics import topic_get
from ..states import TRANSITIONS, TopicStatus
from .common import STAFF_ROLES, attempt, int_or, local_input, parse_date, parse_moment


@role_required(*STAFF_ROLES)
@require_http_methods(["GET"])
def home(request: HttpRequest, actor: Actor) -> HttpResponse:
    units = list(staff_units(actor).select_related("community_profile"))
    if len(units) == 1:
        return redirect("community:unit", slug=units[0].community_profile.slug)
    return render(request, "community/home.html", {"units": units})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET"])
def unit(request: HttpRequest, actor: Actor, slug: str) -> HttpResponse:
    profile = selectors.profile_for_staff(actor, slug)
    context = {
        "profile": profile,
        "topics": selectors.topics_by_status(profile),
        "statuses": TopicStatus.choices,
        "duties": selectors.duties(profile),
        "pipeline": selectors.pipeline(profile),
        "rectifications": selectors.open_rectifications(profile),
    }
    return render(request, "community/unit.html", context)


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def topic_new(request: HttpRequest, actor: Actor, slug: str) -> HttpResponse:
    profile = selectors.profile_for_staff(actor, slug)
    error = ""
    if request.method == "POST":
        data = request.POST
        created: list[Topic] = []

        def write() -> None:
            if data.get("appeal_number"):
                created.append(
                    services.topic_from_appeal(actor=actor, unit=profile.unit, appeal_number=data["appeal_number"])
                )
                return
            created.append(
                services.topic_raise(
                    actor=actor,
                    unit=profile.unit,
                    title=data.get("title", ""),
                    text=data.get("text", ""),
                    source=data.get("source", Topic.Source.COMMITTEE),
                    source_ref=data.get("source_ref", "")[:40],
                    scope=data.get("scope", Topic.Scope.COMMUNITY),
                    affected=data.get("affected", ""),
                    statutory_matter=data.get("statutory_matter", ""),
                )
            )

        try:
            write()
        except HuyingError as exc:
            error = str(exc.message)
        else:
            return redirect("community:topic", topic_id=created[0].pk)
    context = {
        "profile": profile,
        "error": error,
        "sources": [c for c in Topic.Source.choices if c[0] in ("committee", "appeal", "deputy")],
        "scopes": Topic.Scope.choices,
        "matters": STATUTORY_MATTERS,
    }
    return render(request, "community/topic_new.html", context)


def _topic_context(actor: Actor, topic: Topic, roles: set[str]) -> dict[str, object]:
    steps = list(topic.path.steps.select_related("body")) if topic.path else []
    now = timezone.now()
    return {
        "topic": topic,
        "actions": {t.action for t in TRANSITIONS.allowed(topic.status, roles)},
        "steps": steps,
        "meetings": topic.meetings.select_related("body", "adopted").order_by("step", "held_at"),
        "paths": ConsultPath.objects.filter(unit=topic.unit),
        "milestones": topic.milestones.all(),
        "progress": topic.progress.all(),
        "publications": topic.publications.all(),
        "surveys": topic.surveys.all(),
        "signatures": topic.signatures.count(),
        "held_default": local_input(now),
        "notified_default": local_input(now - dt.timedelta(days=topic.path.notice_days if topic.path else 1)),
        "due_default": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "profile": getattr(topic.unit, "community_profile", None),
        "bodies": Body.objects.filter(unit=topic.unit, is_active=True),
        "open_meeting": topic.meetings.filter(step=topic.step, status__in=OPEN_MEETINGS).first(),
    }


@require_http_methods(["GET", "POST"])
def topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    actor = actor_for(request.user)
    try:
        found, roles = topic_get(actor, topic_id)
    except NotFound:
        raise Http404() from None
    error = ""
    if request.method == "POST":
        response, error = attempt(request, lambda: _topic_post(request, actor, found), "community:topic", found.pk)
        if response is not None:
            return response
        found.refresh_from_db()
    context = {**_topic_context(actor, found, roles), "error": error}
    return render(request, "community/topic.html", context)


def _topic_post(request: HttpRequest, actor: Actor, topic: Topic) -> None:
    data, version = request.POST, int_or(request.POST.get("version"))
    action = data.get("action", "")
    if action == "accept":
        services.topic_accept(
            actor=actor, topic_id=topic.pk, version=version, path_id=int_or(data.get("path"), 0) or None
        )
    elif action == "decline":
        services.topic_decline(actor=actor, topic_id=topic.pk, version=version, note=data.get("note", ""))
    elif action == "schedule":
        services.meeting_schedule(
            actor=actor, topic_id=topic.pk, held_at=parse_moment(data.get("held_at", ""), "会议时间"),
            notified_at=parse_moment(data.get("notified_at", ""), "通知时间"), notice=data.get("notice", ""),
            place=data.get("place", ""), options=data.get("options", "").splitlines(),
        )  # fmt: skip
    elif action == "start":
        titles, dues = data.getlist("milestone"), data.getlist("due")
        milestones = [(t, parse_date(d, "完成期限")) for t, d in zip(titles, dues, strict=False) if t.strip()]
        services.work_start(actor=actor, topic_id=topic.pk, version=version, milestones=milestones)
    elif action == "progress":
        services.progress_add(
            actor=actor, topic_id=topic.pk, note=data.get("note", ""), milestone_id=int_or(data.get("milestone"), 0) or None,
            photo=request.FILES.get("photo"), publish=bool(data.get("publish")), refer_to_12345=bool(data.get("refer")),
        )  # fmt: skip
    elif action == "complete":
        services.work_complete(actor=actor, topic_id=topic.pk, version=version, note=data.get("note", ""))
    elif action == "survey":
        services.survey_open(
            actor=actor, unit=topic.unit, title=data.get("title", ""), topic_id=topic.pk,
            sample_body_id=int_or(data.get("sample_body"), 0) or None,
        )  # fmt: skip
    else:
        raise NotFound()


@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    actor = actor_for(request.user)
    found = Meeting.objects.select_related("topic__unit", "body", "adopted").filter(pk=meeting_id).first()
    if found is None:
        raise Http404()
    try:
        topic_get(actor, found.topic_id)
    except NotFound:
        raise Http404() from None
    error = ""
    if request.method == "POST":
        response, error = attempt(request, lambda: _meeting_post(request, actor, found), "community:meeting", found.pk)
        if response is not None:
            return response
        found.refresh_from_db()
    attendance = {a.member_id: a for a in found.attendance.all()}
    votes = dict(found.votes.values_list("member_id", "option_id"))
    members = [(m, attendance.get(m.pk), votes.get(m.pk)) for m in current_members(found.body)]
    options = list(found.options.all())
    tallies = [(o, sum(1 for v in votes.values() if v == o.pk)) for o in options]
    rule, size = found.body.rule, found.members_count or len(members)
    context = {
        "m": found, "members": members, "options": options, "tallies": tallies, "error": error,
        "quorum_needed": procedure.quorum_needed(rule, size),
        "votes_needed": procedure.votes_needed(rule, size, found.present_count),
    }  # fmt: skip
    return render(request, "community/meeting.html", context)


def _meeting_post(request: HttpRequest, actor: Actor, found: Meeting) -> None:
    data, version = request.POST, int_or(request.POST.get("version"))
    action = data.get("action", "")
    if action == "open":
        present = [int_or(v) for v in data.getlist("present")]
        services.meeting_open(actor=actor, meeting_id=found.pk, version=version, present=present)
    elif action == "votes":
        votes: dict[int, int | None] = {}
        opinions: dict[int, str] = {}
        for key in data:
            value = data.get(key, "")
            if key.startswith("vote-") and value:
                votes[int_or(key[5:])] = None if value == "abstain" else int_or(value)
            elif key.startswith("opinion-") and value.strip():
                opinions[int_or(key[8:])] = value
        services.meeting_record_votes(actor=actor, meeting_id=found.pk, votes=votes, opinions=opinions)
    elif action == "cast":
        choice = data.get("option", "")
        services.meeting_cast(
            actor=actor, meeting_id=found.pk, option_id=None if choice == "abstain" else int_or(choice),
            opinion=data.get("opinion", ""),
        )  # fmt: skip
    elif action == "close":
        services.meeting_close(actor=actor, meeting_id=found.pk, version=version, minutes=data.get("minutes", ""))
    else:
        raise NotFound()


@require_http_methods(["GET", "POST"])
def findings(request: HttpRequest) -> HttpResponse:
    """党员问事: the open findings of one's own visits, each one click from becoming a topic."""
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    actor = actor_for(request.user)
    try:
        listed = selectors.own_findings(actor)
    except NotFound:
        raise Http404() from None
    error = ""
    if request.method == "POST":
        finding_id = int_or(request.POST.get("finding"))
        try:
            created = services.topic_from_finding(
                actor=actor, finding_id=finding_id, title=request.POST.get("title", "")
            )
        except HuyingError as exc:
            error = str(exc.message)
        else:
            return render(
                request, "community/findings.html", {"findings": selectors.own_findings(actor), "created": created}
            )
    return render(request, "community/findings.html", {"findings": listed, "error": error})

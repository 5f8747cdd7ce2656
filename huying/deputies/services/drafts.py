"""Consultation on drafts: a draft published article by article, opinions online and from offline
sessions, their processing (整理, merge, 报送, 反馈) and the public summary notice (立法法 Art. 40)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.statemachine import clean_note, versioned_update
from huying.core.validators import normalize_phone

from .. import errors, states
from ..drafting import parse_draft
from ..errors import fail
from ..models import ContactPoint, Draft, DraftNode, Informant, OfflineSession, Opinion
from .common import check_version, is_staff, load, next_number, resolve

MIN_PERIOD_DAYS = 30


def docx_text(upload: Any) -> str:
    """The paragraphs of a .docx draft, one a line (python-docx)."""
    import docx

    try:
        document = docx.Document(io.BytesIO(upload.read()))
    except Exception as exc:  # python-docx raises several types for a file that is not .docx
        raise fail(errors.BAD_DOCX, "file") from exc
    return "\n".join(p.text for p in document.paragraphs)


def _check_period(opens_on: dt.date, closes_on: dt.date, reason: str) -> str:
    if closes_on <= opens_on:
        raise ValidationFailed(_("截止日期应晚于开始日期。"), data={"closes_on": _("截止日期应晚于开始日期。")})
    reason = clean_note(reason)
    if (closes_on - opens_on).days < MIN_PERIOD_DAYS and not reason:
        raise fail(errors.PERIOD_TOO_SHORT, "short_period_reason")
    return reason


@transaction.atomic
def draft_create(
    *,
    actor: Any,
    title: str,
    issuing_body: str,
    text: str,
    opens_on: dt.date,
    closes_on: dt.date,
    kind: str = Draft.Kind.REGULATION,
    explanation: str = "",
    short_period_reason: str = "",
    allows_anonymous: bool = False,
    points: list[ContactPoint] | None = None,
) -> Draft:
    """A draft opened for comment, its text split into 章/节/条/款/项 (one node per place)."""
    resolved = resolve(actor)
    if not is_staff(resolved):
        raise PermissionDenied()
    title, issuing_body = (title or "").strip(), (issuing_body or "").strip()
    if not title or len(title) > 200 or not issuing_body:
        raise ValidationFailed(_("请填写草案名称和征求意见单位。"), data={"title": _("请填写草案名称。")})
    if kind not in Draft.Kind.values:
        raise ValidationFailed(_("草案类型无效。"), data={"kind": _("草案类型无效。")})
    reason = _check_period(opens_on, closes_on, short_period_reason)
    parsed = parse_draft(text or "")
    if not parsed.articles():
        raise fail(errors.NO_ARTICLES, "text")
    draft = Draft.objects.create(
        title=title,
        kind=kind,
        issuing_body=issuing_body[:100],
        explanation=clean_note(explanation),
        preamble="\n".join(parsed.preamble),
        opens_on=opens_on,
        closes_on=closes_on,
        short_period_reason=reason,
        allows_anonymous=allows_anonymous,
        status=Draft.Status.OPEN,
        created_by=resolved.user,
    )
    DraftNode.objects.bulk_create(
        DraftNode(
            draft=draft,
            key=node.key,
            kind=node.kind,
            label=node.label,
            title=node.title[:200],
            text=node.text,
            depth=node.key.count("."),
            position=position,
        )
        for position, node in enumerate(parsed.walk())
    )
    if points:
        draft.points.set(points)
    return draft


def is_open(draft: Draft, today: dt.date) -> bool:
    return (
        draft.status == Draft.Status.OPEN
        and draft.opens_on is not None
        and draft.closes_on is not None
        and draft.opens_on <= today <= draft.closes_on
    )


@transaction.atomic
def draft_close(*, actor: Any, draft_id: int, version: int, reason: str = "", today: dt.date | None = None) -> Draft:
    """End the comment period; before 30 days have run only with a recorded reason (决策条例 Art. 15)."""
    resolved = resolve(actor)
    if not is_staff(resolved):
        raise PermissionDenied()
    draft = load(Draft, draft_id)
    check_version(draft, version)
    if draft.status != Draft.Status.OPEN:
        raise fail(errors.COMMENT_CLOSED)
    today = today or timezone.localdate()
    reason = clean_note(reason)
    assert draft.opens_on is not None
    if (today - draft.opens_on).days < MIN_PERIOD_DAYS and not reason:
        raise fail(errors.CLOSE_EARLY_REASON, "reason")
    versioned_update(
        Draft.objects.filter(pk=draft.pk),
        expected_version=version,
        status=Draft.Status.CLOSED,
        closes_on=min(today, draft.closes_on or today),
        closed_early_reason=reason,
    )
    return load(Draft, draft.pk)


def informant_points(actor: Actor) -> list[int]:
    if not actor.has_role(Role.CONTACT_POINT):
        return []
    return list(Informant.objects.filter(user=actor.user, is_active=True).values_list("point_id", flat=True))


def opinion_roles(actor: Actor, draft: Draft) -> set[str]:
    roles = {states.STAFF} if is_staff(actor) else set()
    mine = informant_points(actor)
    if mine and draft.points.filter(pk__in=mine).exists():
        roles.add(states.INFORMANT)
    return roles


def _node(draft: Draft, node_id: int | None) -> DraftNode | None:
    if node_id is None:
        return None
    node = DraftNode.objects.filter(pk=node_id, draft=draft, text_version=draft.text_version).first()
    if node is None:
        raise fail(errors.NODE_NOT_IN_VERSION, "node")
    return node


def _content(content: str) -> str:
    cleaned = clean_note(content)
    if not cleaned:
        raise ValidationFailed(_("请填写意见内容。"), data={"content": _("请填写意见内容。")})
    return cleaned


def _passage(node: DraftNode | None, passage: str) -> str:
    """A selected passage must be words of the article it is on (CONSUL-style annotation)."""
    passage = (passage or "").strip()[:500]
    if passage and node is not None:
        under = DraftNode.objects.filter(draft_id=node.draft_id, text_version=node.text_version)
        under = under.filter(Q(key=node.key) | Q(key__startswith=node.key + "."))
        words = "".join(under.values_list("text", flat=True))
        if passage not in words + node.title:
            raise ValidationFailed(_("所选段落不在该条文中。"), data={"passage": _("所选段落不在该条文中。")})
    return passage


@transaction.atomic
def opinion_submit(
    *,
    actor: Any,
    draft_id: int,
    content: str,
    node_id: int | None = None,
    passage: str = "",
    is_anonymous: bool = False,
    may_publish: bool = False,
    identity: str = Opinion.Identity.RESIDENT,
    now: dt.datetime | None = None,
) -> Opinion:
    """An opinion from a signed-in resident: real name unless the draft allows anonymity."""
    resolved = resolve(actor)
    now = now or timezone.now()
    draft = load(Draft, draft_id)
    if not is_open(draft, timezone.localtime(now).date()):
        raise fail(errors.COMMENT_CLOSED)
    if is_anonymous and not draft.allows_anonymous:
        raise fail(errors.ANONYMOUS_NOT_ALLOWED, "is_anonymous")
    node = _node(draft, node_id)
    user = resolved.user
    return Opinion.objects.create(
        number=next_number(Opinion, "YJ", now),
        draft=draft,
        node=node,
        passage=_passage(node, passage),
        content=_content(content),
        channel=Opinion.Channel.ONLINE,
        author=user,
        author_name="" if is_anonymous else (getattr(user, "display_name", "") or user.get_username())[:40],
        author_phone="" if is_anonymous else (getattr(user, "phone", "") or ""),
        identity=identity if identity in Opinion.Identity.values else Opinion.Identity.RESIDENT,
        is_anonymous=is_anonymous,
        may_publish=may_publish,
        received_at=now,
    )


@transaction.atomic
def session_record(
    *, actor: Any, draft_id: int, point_id: int, kind: str, held_on: dt.date, place: str, attendees: int = 0
) -> OfflineSession:
    """An offline session (立法赶集, 流动板凳会, 座谈会) held by a contact point the draft is opened at."""
    resolved = resolve(actor)
    draft = load(Draft, draft_id)
    point = draft.points.filter(pk=point_id).first()
    if point is None or not (is_staff(resolved) or point.pk in informant_points(resolved)):
        raise PermissionDenied()
    if kind not in OfflineSession.Kind.values or not (place or "").strip():
        raise ValidationFailed(_("请选择活动形式并填写地点。"), data={"place": _("请填写地点。")})
    if not is_open(draft, held_on):
        raise fail(errors.COMMENT_CLOSED, "held_on")
    return OfflineSession.objects.create(
        draft=draft,
        point=point,
        kind=kind,
        held_on=held_on,
        place=place.strip()[:100],
        attendees=max(0, attendees),
        recorded_by=resolved.user,
    )


@transaction.atomic
def opinion_record_offline(
    *,
    actor: Any,
    session_id: int,
    content: str,
    node_id: int | None = None,
    author_name: str = "",
    author_phone: str = "",
    identity: str = Opinion.Identity.RESIDENT,
    may_publish: bool = False,
    now: dt.datetime | None = None,
) -> Opinion:
    """An opinion heard at an offline session, typed in by contact-point staff; the session is on record."""
    resolved = resolve(actor)
    session = load(OfflineSession, session_id, select=("draft", "point"))
    if not (is_staff(resolved) or session.point_id in informant_points(resolved)):
        raise PermissionDenied()
    now = now or timezone.now()
    phone = normalize_phone(author_phone, field="author_phone") if author_phone else ""
    name = (author_name or "").strip()[:40]
    return Opinion.objects.create(
        number=next_number(Opinion, "YJ", now),
        draft=session.draft,
        node=_node(session.draft, node_id),
        content=_content(content),
        channel=Opinion.Channel.OFFLINE,
        session=session,
        point=session.point,
        author_name=name,
        author_phone=phone,
        identity=identity if identity in Opinion.Identity.values else Opinion.Identity.RESIDENT,
        is_anonymous=not name,
        may_publish=may_publish,
        recorded_by=resolved.user,
        received_at=now,
    )


def _opinion_act(actor: Any, opinion_id: int, version: int, action: str, note: str = "") -> tuple[Opinion, str, str]:
    resolved = resolve(actor)
    opinion = load(Opinion, opinion_id, select=("draft",))
    roles = opinion_roles(resolved, opinion.draft)
    if not roles:
        raise PermissionDenied()
    check_version(opinion, version)
    labels = dict(Opinion.Status.choices)
    transition, cleaned = states.OPINION_TRANSITIONS.check(
        source=opinion.status,
        action=action,
        roles=roles,
        note=note,
        describe=lambda s, a: _("意见当前状态为「%(status)s」，不能执行此操作。") % {"status": labels.get(s, s)},
    )
    return opinion, transition.target, cleaned


@transaction.atomic
def opinion_organise(*, actor: Any, opinion_id: int, version: int, summary: str = "") -> Opinion:
    opinion, target, _note = _opinion_act(actor, opinion_id, version, "organise")
    summary = clean_note(summary) or opinion.content
    versioned_update(Opinion.objects.filter(pk=opinion.pk), expected_version=version, status=target, summary=summary)
    return load(Opinion, opinion.pk)


@transaction.atomic
def opinion_merge(*, actor: Any, opinion_id: int, version: int, into_id: int) -> Opinion:
    """A duplicate merged into another opinion of the draft; its original words are kept as they were."""
    opinion, target, _note = _opinion_act(actor, opinion_id, version, "merge")
    into = Opinion.objects.filter(pk=into_id, draft_id=opinion.draft_id, merged_into__isnull=True).first()
    if into is None or into.pk == opinion.pk or into.status == states.MERGED:
        raise fail(errors.MERGE_TARGET, "into")
    versioned_update(Opinion.objects.filter(pk=opinion.pk), expected_version=version, status=target, merged_into=into)
    return load(Opinion, opinion.pk)


@transaction.atomic
def opinion_submit_upward(*, actor: Any, opinion_id: int, version: int, recipient: str) -> Opinion:
    opinion, target, _note = _opinion_act(actor, opinion_id, version, "submit")
    recipient = (recipient or "").strip()[:100] or opinion.draft.issuing_body
    versioned_update(
        Opinion.objects.filter(pk=opinion.pk),
        expected_version=version,
        status=target,
        submitted_to=recipient,
        submitted_at=timezone.now(),
    )
    return load(Opinion, opinion.pk)


@transaction.atomic
def opinion_answer(
    *, actor: Any, opinion_id: int, version: int, outcome: str, reason: str, final_article: str = ""
) -> Opinion:
    """采纳 / 部分采纳 / 未采纳 / 留作参考 with a reason; the opinions merged into it get the same answer."""
    if outcome not in Opinion.Outcome.values:
        raise fail(errors.OUTCOME_REQUIRED, "outcome")
    opinion, target, cleaned = _opinion_act(actor, opinion_id, version, "answer", reason)
    now = timezone.now()
    answer: dict[str, Any] = {
        "outcome": outcome,
        "outcome_reason": cleaned,
        "final_article": final_article.strip()[:60],
        "answered_at": now,
    }
    versioned_update(Opinion.objects.filter(pk=opinion.pk), expected_version=version, status=target, **answer)
    versioned_update(Opinion.objects.filter(merged_into=opinion), **answer)
    return load(Opinion, opinion.pk)

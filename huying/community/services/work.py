"""Carrying a resolution out (两委办事): milestones with deadlines, progress notes with photos
published on the board, referral to a department through the 12345 loop, and completion."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.selectors import Actor
from huying.appeals.services import appeal_submit
from huying.appeals.states import AppealType, Channel
from huying.core.errors import PermissionDenied, ValidationFailed
from huying.core.statemachine import NOTE_MAX_LENGTH
from huying.core.uploads import check_upload, rename_for_storage

from ..models import Milestone, Progress, Publication, Topic
from ..states import STAFF, TRANSITIONS, PublicationAction, PublicationStatus, TopicAction, TopicStatus
from . import board
from .common import text, transition
from .topics import topic_get

PHOTO_TYPES = ("image/jpeg", "image/png")


def _staff_topic(actor: Actor | User | AnonymousUser, topic_id: int) -> tuple[Actor, Topic, set[str]]:
    from ..permissions import resolve

    resolved = resolve(actor)
    topic, roles = topic_get(resolved, topic_id)
    if STAFF not in roles:
        raise PermissionDenied()
    return resolved, topic, roles


@transaction.atomic
def work_start(
    *, actor: Actor | User | AnonymousUser, topic_id: int, version: int, milestones: list[tuple[str, dt.date]]
) -> Topic:
    """The executor starts carrying the resolution out, with its milestones and their deadlines."""
    _resolved, topic, roles = _staff_topic(actor, topic_id)
    cleaned = [(text(title, label=_("节点名称"), limit=100), due) for title, due in milestones if title.strip()]
    if not cleaned:
        raise ValidationFailed(_("请至少填写一个实施节点和完成期限。"))
    today = timezone.localdate()
    if any(due < today for _title, due in cleaned):
        raise ValidationFailed(_("完成期限不能早于今天。"))
    transition(
        TRANSITIONS, topic, action=TopicAction.START, roles=roles, version=version, choices=TopicStatus,
        noun=_("议题"), started_at=timezone.now(),
    )  # fmt: skip
    Milestone.objects.bulk_create([Milestone(topic=topic, title=t, due=d) for t, d in cleaned])
    return topic


def _store_photo(topic: Topic, photo: UploadedFile) -> str:
    content_type = check_upload(photo, allowed=PHOTO_TYPES, field="photo")
    rename_for_storage(photo, prefix=f"topic{topic.pk}", content_type=content_type)
    return default_storage.save(f"community/progress/{photo.name}", photo)


@transaction.atomic
def progress_add(
    *,
    actor: Actor | User | AnonymousUser,
    topic_id: int,
    note: str,
    milestone_id: int | None = None,
    photo: UploadedFile | None = None,
    publish: bool = False,
    refer_to_12345: bool = False,
) -> Progress:
    """A progress note (a milestone done with it, a photo); ``publish`` puts it into the topic's board
    publication as a new draft for the four steps; ``refer_to_12345`` hands the note to the hotline
    as an appeal when the work needs a department."""
    resolved, topic, _roles = _staff_topic(actor, topic_id)
    if topic.status != TopicStatus.IN_PROGRESS:
        raise ValidationFailed(_("议题不在实施中，不能记录进展。"))
    body = text(note, label=_("进展情况"), limit=NOTE_MAX_LENGTH)
    milestone = topic.milestones.filter(pk=milestone_id).first() if milestone_id else None
    if milestone_id and milestone is None:
        raise ValidationFailed(_("实施节点不属于该议题。"))
    progress = Progress.objects.create(topic=topic, milestone=milestone, text=body, author=resolved.user)
    if photo is not None:
        progress.photo = _store_photo(topic, photo)
    if milestone is not None and milestone.done_at is None:
        Milestone.objects.filter(pk=milestone.pk).update(done_at=timezone.now())
    if publish:
        progress.publication = _publish_progress(resolved, topic, body)
    if refer_to_12345:
        progress.appeal_number = _refer(resolved, topic, body)
    progress.save(update_fields=["photo", "publication", "appeal_number"])
    return progress


def _publish_progress(actor: Actor, topic: Topic, note: str) -> Publication:
    publication = board.publication_for_topic(topic)
    if publication.status == PublicationStatus.PUBLISHED:
        board.publication_act(
            actor=actor, publication_id=publication.pk, version=publication.version,
            action=PublicationAction.REVISE, note=_("公开实施进展"),
        )  # fmt: skip
        publication.refresh_from_db()
    if publication.status != PublicationStatus.DRAFT:
        raise ValidationFailed(_("该议题的公开方案正在审核，请审核结束后再公开新的进展。"))
    line = f"\n\n【实施进展 {timezone.localdate():%Y-%m-%d}】\n{note}"
    return board.publication_edit(
        actor=actor, publication_id=publication.pk, version=publication.version,
        title=publication.title, body=(publication.body + line)[-50_000:],
    )  # fmt: skip


def _refer(actor: Actor, topic: Topic, note: str) -> str:
    result = appeal_submit(
        actor=actor, channel=Channel.VISIT, appeal_type=AppealType.HELP, is_anonymous=True,
        title=f"{topic.unit.name}：{topic.title}"[:120],
        content=f"{topic.unit.name}议题{topic.number}的决议需要有关部门办理：\n{topic.resolution}\n\n{note}"[:5000],
        requester_name=topic.unit.name[:60], auto_dispatch=True,
    )  # fmt: skip
    return str(result.appeal.number)


@transaction.atomic
def work_complete(*, actor: Actor | User | AnonymousUser, topic_id: int, version: int, note: str) -> Topic:
    _resolved, topic, roles = _staff_topic(actor, topic_id)
    transition(
        TRANSITIONS, topic, action=TopicAction.COMPLETE, roles=roles, version=version, choices=TopicStatus,
        noun=_("议题"), note=note, done_at=timezone.now(), outcome_note=(note or "").strip()[:NOTE_MAX_LENGTH],
    )  # fmt: skip
    return topic

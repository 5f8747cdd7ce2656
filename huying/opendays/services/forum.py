"""The forum (座谈交流): each question or suggestion recorded with who raised it and who answered; a
leader's assignment on the spot becomes an appeal in the 12345 loop on the open-day channel,
dispatched to the unit that owns it, whose progress the participant follows like any appeal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.appeals import services as appeal_services
from huying.appeals.states import Action, AppealType, Channel
from huying.core.errors import InvalidTransition, NotFound, ValidationFailed
from huying.core.statemachine import NOTE_MAX_LENGTH
from huying.organisations.models import OrgUnit

from .. import errors, states
from ..models import Event, ForumItem
from ..permissions import managed_event, resolve

FORUM_STATUSES = (states.DRAWN, states.HELD)


@transaction.atomic
def forum_record(
    *,
    actor: Any,
    event: Event | int,
    number: str,
    text: str,
    kind: str = ForumItem.Kind.QUESTION,
    answered_by: str = "",
    answer: str = "",
) -> ForumItem:
    resolved = resolve(actor)
    current = managed_event(resolved, event)
    if current.status not in FORUM_STATUSES:
        raise InvalidTransition(_("抽签确定参加人后才能记录座谈内容。"))
    raised_by = current.registrations.filter(
        number=(number or "").strip(), status__in=(states.INVITED, states.CONFIRMED)
    ).first()
    if raised_by is None:
        raise ValidationFailed(
            _("提问人须为本次开放日的参加人。"), code=errors.NOT_A_PARTICIPANT, data={"number": _("请核对报名编号。")}
        )
    text = (text or "").strip()
    if not text or len(text) > NOTE_MAX_LENGTH:
        raise ValidationFailed(_("请填写提问或建议的内容。"), data={"text": _("请填写内容。")})
    if kind not in ForumItem.Kind.values:
        raise ValidationFailed(_("类型无效。"))
    return ForumItem.objects.create(
        event=current,
        raised_by=raised_by,
        kind=kind,
        text=text,
        answered_by=(answered_by or "").strip()[:100],
        answer=(answer or "").strip()[:NOTE_MAX_LENGTH],
        recorded_by=resolved.user,
    )


def forum_assign(
    *,
    actor: Any,
    item: ForumItem | int,
    owner: OrgUnit,
    promised_by: dt.date,
    note: str = "",
    now: dt.datetime | None = None,
) -> ForumItem:
    """The leader's assignment: an appeal on the open-day channel, accepted and dispatched to ``owner``."""
    now = now or timezone.now()
    resolved = resolve(actor)
    pk = item.pk if isinstance(item, ForumItem) else item
    with transaction.atomic():
        current = (
            ForumItem.objects.select_related("event__unit", "raised_by__user")
            .select_for_update(of=("self",))
            .filter(pk=pk)
            .first()
        )
        if current is None:
            raise NotFound()
        managed_event(resolved, current.event)
        if current.appeal_id is not None:
            raise InvalidTransition(_("该事项已转为工单。"))
        if promised_by < now.date():
            raise ValidationFailed(_("承诺办结日期不能早于今天。"), data={"promised_by": _("请选择今天或以后的日期。")})
        person = current.raised_by
        content = _("【%(event)s 座谈】%(text)s") % {"event": current.event.title, "text": current.text}
        if current.answer:
            content += "\n" + _("现场答复（%(who)s）：%(answer)s") % {
                "who": current.answered_by,
                "answer": current.answer,
            }
        result = appeal_services.appeal_submit(
            actor=resolved,
            channel=Channel.OPEN_DAY,
            appeal_type=AppealType.SUGGESTION if current.kind == ForumItem.Kind.SUGGESTION else AppealType.HELP,
            content=content[:NOTE_MAX_LENGTH],
            requester_name=person.name,
            requester_phone=person.phone,
            citizen=person.user,
            detect_repeat=False,
            auto_dispatch=False,
            now=now,
        )
        ForumItem.objects.filter(pk=current.pk).update(appeal=result.appeal, owner=owner, promised_by=promised_by)
        appeal = appeal_services.appeal_transition(
            actor=resolved, appeal=result.appeal.pk, action=Action.ACCEPT, now=now
        )
        assignment = _("开放日现场交办，承诺%(date)s前办结。") % {"date": promised_by.isoformat()}
        appeal_services.appeal_transition(
            actor=resolved,
            appeal=appeal.pk,
            action=Action.DISPATCH,
            lead_unit=owner,
            note=(assignment + " " + (note or "").strip()).strip(),
            now=now,
        )
    current.refresh_from_db()
    return current

"""The public draw: the lottery is computed and published (panels and digest) before the seed is read
out; the seed then picks the panel. Replacements for those who decline are drawn the same way from
the registrants never selected, against what remains of each quota.

Everything needed to re-run a draw is stored on ``Draw`` and published: the quotas, the M panels (of
registration numbers), their SHA-256 digest, the seed and the winning number ``SHA-256(seed) mod M``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.core.errors import InvalidTransition, ValidationFailed
from huying.core.statemachine import versioned_update
from huying.selection.leximin import leximin
from huying.selection.lottery import draw_index, round_to_lottery
from huying.selection.model import Instance, Person, SelectionError
from huying.selection.model import Quota as EngineQuota
from huying.selection.quotas import feasibility
from huying.selection.replace import check_candidate, remaining_instance

from .. import errors, states
from ..models import CATEGORY_LABELS, Draw, Event, Registration
from ..permissions import managed_event, resolve

LOTTERY_PANELS = 1000
SITTING = (states.INVITED, states.CONFIRMED)


def instance_for(event: Event) -> Instance:
    quotas = [EngineQuota(q.category, q.value, q.min, q.max) for q in event.quotas.all()]
    pool = event.registrations.exclude(status=states.EXCLUDED).order_by("number")
    people = [Person(r.number, r.features(), r.household) for r in pool]
    return Instance(quotas, people, event.panel_size, event.one_per_household)


def _explain(inst: Instance) -> ValidationFailed:
    report = feasibility(inst)
    parts = []
    for p in report.problems:
        if p.code == "too_few_people":
            parts.append(
                _("「%(c)s」取值「%(v)s」至少需要%(min)d人，报名仅%(have)d人")
                % {"c": CATEGORY_LABELS.get(str(p.params["category"]), ""), "v": p.params["value"], **p.params}
            )
        elif p.code == "pool_too_small":
            parts.append(_("报名%(n)d人，不足参加人数%(k)d人") % p.params)
    for r in report.relaxations:
        parts.append(
            _("建议将「%(c)s」取值「%(v)s」的%(b)s由%(old)d改为%(new)d")
            % {
                "c": CATEGORY_LABELS.get(r.category, r.category),
                "v": r.value,
                "b": _("最少名额") if r.bound == "min" else _("最多名额"),
                "old": r.old,
                "new": r.new,
            }
        )
    message = _("现有报名无法满足名额分配。") + ("；".join(parts) + "。" if parts else "")
    return ValidationFailed(
        message,
        code=errors.BAD_QUOTAS,
        data={"relaxations": [r.__dict__ for r in report.relaxations]},
    )


def _publish(event: Event, inst: Instance, sequence: int, user: Any, now: dt.datetime) -> Draw:
    try:
        dist = leximin(inst)
    except SelectionError:
        raise _explain(inst) from None
    lottery = round_to_lottery(inst, dist, LOTTERY_PANELS)
    chances = {pid: round(p, 6) for pid, p in lottery.target.items()}
    return Draw.objects.create(
        event=event,
        sequence=sequence,
        seats=inst.k,
        quotas=[q.__dict__ for q in inst.quotas],
        panels=lottery.panels,
        digest=lottery.digest,
        chances=chances,
        min_chance=min(chances.values()) if chances else 0.0,
        published_at=now,
        created_by=user,
    )


def lottery_publish(*, actor: Any, event: Event | int, now: dt.datetime | None = None) -> Draw:
    """Compute the LEXIMIN lottery over the eligible registrants and publish it (before the seed)."""
    now = now or timezone.now()
    resolved = resolve(actor)
    with transaction.atomic():
        current = managed_event(resolved, event)
        transition, _note = states.EVENT_TRANSITIONS.check(
            source=current.status, action="publish_lottery", roles={states.ORGANISER}
        )
        inst = instance_for(current)
        if not inst.people or not feasibility(inst).feasible:
            raise _explain(inst)
        drawn = _publish(current, inst, 0, resolved.user, now)
        for number, chance in drawn.chances.items():
            Registration.objects.filter(event=current, number=number).update(chance=chance)
        versioned_update(
            Event.objects.filter(pk=current.pk), expected_version=current.version, status=transition.target
        )
    return drawn


def seats_open(event: Event) -> int:
    return event.panel_size - event.registrations.filter(status__in=SITTING).count()


def _sitting_and_out(event: Event) -> tuple[list[str], list[str]]:
    rows = list(event.registrations.values_list("number", "status", "draw_id"))
    sitting = [n for n, s, _d in rows if s in SITTING]
    out = [n for n, s, d in rows if s != states.REGISTERED or d is not None]
    return sitting, out


def replacement_publish(*, actor: Any, event: Event | int, now: dt.datetime | None = None) -> Draw:
    """Publish the lottery for the seats left by those who declined (seed to be read out next)."""
    now = now or timezone.now()
    resolved = resolve(actor)
    with transaction.atomic():
        current = managed_event(resolved, event)
        if current.status != states.DRAWN:
            raise InvalidTransition(_("只有抽签后、活动举行前才能抽取替补。"))
        if current.draws.filter(drawn_at__isnull=True).exists():
            raise InvalidTransition(_("上一轮替补方案尚未抽签。"))
        seats = seats_open(current)
        if seats <= 0:
            raise InvalidTransition(_("没有空缺名额。"))
        sitting, out = _sitting_and_out(current)
        sub = remaining_instance(instance_for(current), sitting, out, seats)
        if len(sub.people) < seats or not feasibility(sub).feasible:
            raise ValidationFailed(_("没有符合剩余名额条件的候选人。"), code=errors.NO_CANDIDATES)
        sequence = current.draws.count()
        return _publish(current, sub, sequence, resolved.user, now)


def draw_run(*, actor: Any, event: Event | int, seed: str, now: dt.datetime | None = None) -> Draw:
    """Draw the published lottery with the seed read out. The same seed again answers the same draw;
    another seed after one was published is refused."""
    now = now or timezone.now()
    resolved = resolve(actor)
    seed = (seed or "").strip()
    if not seed or len(seed) > 100:
        raise ValidationFailed(_("请填写现场产生的公开种子（不超过100字）。"), data={"seed": _("请填写公开种子。")})
    with transaction.atomic():
        current = managed_event(resolved, event)
        drawn = current.draws.order_by("-sequence").first()
        if drawn is None:
            raise InvalidTransition(_("请先公布抽签方案。"))
        if drawn.drawn_at is not None:
            if drawn.seed == seed:
                return drawn
            raise ValidationFailed(_("公开种子已公布，不能用其他种子重新抽签。"), code=errors.SEED_PUBLISHED)
        index = draw_index(seed, len(drawn.panels))
        chosen = sorted(drawn.panels[index])
        _check_households(current, chosen, drawn.sequence)
        versioned_update(
            Draw.objects.filter(pk=drawn.pk),
            expected_version=drawn.version,
            seed=seed,
            index=index,
            chosen=chosen,
            drawn_at=now,
        )
        Registration.objects.filter(event=current, number__in=chosen, status=states.REGISTERED).update(
            status=states.INVITED, draw=drawn
        )
        if drawn.sequence == 0:
            transition, _note = states.EVENT_TRANSITIONS.check(
                source=current.status, action="draw", roles={states.ORGANISER}
            )
            versioned_update(
                Event.objects.filter(pk=current.pk), expected_version=current.version, status=transition.target
            )
    drawn.refresh_from_db()
    return drawn


def _check_households(event: Event, chosen: list[str], sequence: int) -> None:
    if sequence == 0 or not event.one_per_household:
        return
    inst = instance_for(event)
    sitting, _out = _sitting_and_out(event)
    for number in chosen:
        try:
            check_candidate(inst, sitting, number)
        except SelectionError:
            raise ValidationFailed(_("替补人选与已入选人员同一户。"), code=errors.SAME_HOUSEHOLD) from None
        sitting.append(number)


def replacement_pick(*, actor: Any, event: Event | int, number: str) -> Registration:
    """Invite a named registrant into an open seat (when the organisers call down a reserve list):
    refused if they share a household with a member or would break a quota."""
    resolved = resolve(actor)
    with transaction.atomic():
        current = managed_event(resolved, event)
        if current.status != states.DRAWN or seats_open(current) <= 0:
            raise InvalidTransition(_("没有空缺名额。"))
        reg = current.registrations.filter(number=(number or "").strip(), status=states.REGISTERED).first()
        if reg is None:
            raise ValidationFailed(_("该报名编号不存在或不可邀请。"), data={"number": _("请核对报名编号。")})
        sitting, _out = _sitting_and_out(current)
        inst = instance_for(current)
        try:
            check_candidate(inst, sitting, reg.number)
        except SelectionError as exc:
            if exc.code == "same_household":
                raise ValidationFailed(_("替补人选与已入选人员同一户。"), code=errors.SAME_HOUSEHOLD) from None
            raise ValidationFailed(_("该报名人已入选。")) from None
        sub = remaining_instance(inst, sitting, [], seats_open(current))
        for q in sub.quotas:
            if reg.features().get(q.category) == q.value and q.max <= 0:
                raise ValidationFailed(
                    _("「%(c)s」取值「%(v)s」的名额已满。") % {"c": CATEGORY_LABELS.get(q.category, ""), "v": q.value},
                    code=errors.BAD_QUOTAS,
                )
        versioned_update(Registration.objects.filter(pk=reg.pk), expected_version=reg.version, status=states.INVITED)
    reg.refresh_from_db()
    return reg

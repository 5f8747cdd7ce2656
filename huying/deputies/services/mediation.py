"""The deputies' mediation room, run by a registered people's mediation committee (人民调解法):
consent (Art. 17: a refusal stops it), mediators assigned or chosen (Art. 19), sessions logged (Art. 27),
the written agreement (Art. 29) effective only once every party and the mediator have signed and the
committee's seal is applied, and the 30-day window for judicial confirmation (Art. 33)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.core.errors import ConcurrentModification, NotFound, PermissionDenied, ValidationFailed
from huying.core.statemachine import clean_note, versioned_update
from huying.core.validators import normalize_phone

from .. import clocks, errors, labels, states
from ..errors import fail
from ..models import Committee, MediationCase, MediationParty, MediationSession
from .common import describe, is_staff, next_number, resolve


def visible_cases(actor: Actor) -> QuerySet[MediationCase]:
    """A mediator sees the cases they mediate and the committee's public ones; a private case only
    its own mediators (人民调解法 Art. 15(四), Art. 23)."""
    if not actor.is_authenticated:
        return MediationCase.objects.none()
    mine = Q(mediators=actor.user)
    if actor.has_role(Role.MEDIATOR) or is_staff(actor):
        return MediationCase.objects.filter(mine | Q(is_private=False)).distinct()
    return MediationCase.objects.filter(mine).distinct()


def case_for(actor: Actor, case_id: int) -> MediationCase:
    case = visible_cases(actor).filter(pk=case_id).select_related("committee").first()
    if case is None:
        raise NotFound()
    return case


def _mediator(actor: Actor, case: MediationCase) -> None:
    if not case.mediators.filter(pk=actor.user.pk).exists():
        raise PermissionDenied()


@transaction.atomic
def mediation_register(
    *,
    actor: Any,
    committee: Committee,
    source: str,
    category: str,
    facts: str,
    parties: list[dict[str, str]],
    claims: str = "",
    is_private: bool = False,
    mediators: list[User] | None = None,
    chosen_by_parties: bool = False,
    now: dt.datetime | None = None,
) -> MediationCase:
    resolved = resolve(actor)
    if not (resolved.has_role(Role.MEDIATOR) or is_staff(resolved)):
        raise PermissionDenied()
    if source not in MediationCase.Source.values or category not in MediationCase.Category.values:
        raise ValidationFailed(_("请选择案件来源和纠纷类型。"), data={"source": _("请选择案件来源。")})
    if len([p for p in parties if (p.get("name") or "").strip()]) < 2:
        raise ValidationFailed(_("调解至少需要两方当事人。"), data={"parties": _("请填写双方当事人。")})
    now = now or timezone.now()
    case = MediationCase.objects.create(
        number=next_number(MediationCase, "TJ", now),
        committee=committee,
        source=source,
        category=category,
        facts=clean_note(facts, required=True),
        claims=clean_note(claims),
        is_private=is_private,
        chosen_by_parties=chosen_by_parties,
        registered_at=now,
        status=states.REGISTERED,
    )
    case.mediators.set(mediators or [resolved.user])
    for party in parties:
        if (party.get("name") or "").strip():
            phone = party.get("phone", "")
            MediationParty.objects.create(
                case=case,
                name=party["name"].strip()[:60],
                phone=normalize_phone(phone, field="phone") if phone else "",
                role=(party.get("role") or _("当事人"))[:10],
                address=(party.get("address") or "")[:120],
            )
    return case


def _act(actor: Any, case_id: int, version: int, action: str, note: str = "") -> tuple[Actor, MediationCase, str, str]:
    resolved = resolve(actor)
    case = case_for(resolved, case_id)
    _mediator(resolved, case)
    if case.version != version:
        raise ConcurrentModification()
    transition, cleaned = states.MEDIATION_TRANSITIONS.check(
        source=case.status, action=action, roles={states.MEDIATOR}, note=note, describe=describe(labels.MEDIATION)
    )
    return resolved, case, transition.target, cleaned


def _write(case: MediationCase, version: int, **fields: Any) -> MediationCase:
    versioned_update(MediationCase.objects.filter(pk=case.pk), expected_version=version, **fields)
    return MediationCase.objects.get(pk=case.pk)


@transaction.atomic
def party_consent(*, actor: Any, case_id: int, party_id: int, consents: bool) -> MediationCase:
    """A party's answer to mediation; a clear refusal ends it (人民调解法 Art. 17)."""
    resolved = resolve(actor)
    case = case_for(resolved, case_id)
    _mediator(resolved, case)
    if case.status != states.REGISTERED:
        raise ValidationFailed(_("只有登记后、开始调解前可以记录调解意愿。"))
    party = case.parties.filter(pk=party_id).first()
    if party is None:
        raise NotFound()
    now = timezone.now()
    consent = MediationParty.Consent.CONSENTED if consents else MediationParty.Consent.REFUSED
    MediationParty.objects.filter(pk=party.pk).update(consent=consent, consent_at=now)
    if not consents:
        note = _("当事人%(name)s明确拒绝调解，依法不得调解。") % {"name": party.name}
        return mediation_transition(actor=resolved, case_id=case.pk, version=case.version, action="refuse", note=note)
    return case_for(resolved, case.pk)


@transaction.atomic
def mediation_transition(*, actor: Any, case_id: int, version: int, action: str, note: str = "") -> MediationCase:
    """start (every party consented), end (failed: the routes left to the parties), refuse, performed."""
    _resolved, case, target, cleaned = _act(actor, case_id, version, action, note)
    fields: dict[str, Any] = {"status": target}
    if action == "start" and case.parties.exclude(consent=MediationParty.Consent.CONSENTED).exists():
        raise fail(errors.NOT_ALL_CONSENTED)
    if action in ("end", "refuse"):
        fields["end_reason"] = cleaned
    if action == "performed":
        fields["follow_up"] = cleaned
    return _write(case, version, **fields)


@transaction.atomic
def session_log(*, actor: Any, case_id: int, note: str, held_at: dt.datetime | None = None) -> MediationSession:
    resolved = resolve(actor)
    case = case_for(resolved, case_id)
    _mediator(resolved, case)
    if case.status != states.MEDIATING:
        raise ValidationFailed(_("调解开始后才能记录调解过程。"))
    return MediationSession.objects.create(
        case=case, held_at=held_at or timezone.now(), note=clean_note(note, required=True), recorded_by=resolved.user
    )


@transaction.atomic
def mediation_agree(
    *, actor: Any, case_id: int, version: int, responsibilities: str, agreement: str, performance: str
) -> MediationCase:
    """The written agreement's contents (Art. 29; 司法部令第75号 Art. 35): facts, responsibilities,
    agreed content, manner, place and time of performance."""
    texts = [clean_note(responsibilities), clean_note(agreement), clean_note(performance)]
    if not all(texts):
        raise fail(errors.AGREEMENT_INCOMPLETE, "agreement")
    _resolved, case, target, _n = _act(actor, case_id, version, "agree")
    return _write(case, version, status=target, responsibilities=texts[0], agreement=texts[1], performance=texts[2])


@transaction.atomic
def agreement_sign(*, actor: Any, case_id: int, party_id: int | None = None) -> MediationCase:
    """A party's signature (or fingerprint, recorded by the mediator), or with no party the mediator's own."""
    resolved = resolve(actor)
    case = case_for(resolved, case_id)
    _mediator(resolved, case)
    if case.status != states.AGREED:
        raise ValidationFailed(_("达成协议后、生效前才能签名。"))
    now = timezone.now()
    if party_id is None:
        MediationCase.objects.filter(pk=case.pk).update(mediator_signed_at=now)
    elif not MediationParty.objects.filter(pk=party_id, case=case).update(signed_at=now):
        raise NotFound()
    return case_for(resolved, case.pk)


@transaction.atomic
def agreement_seal(*, actor: Any, case_id: int, version: int, now: dt.datetime | None = None) -> MediationCase:
    """Apply the committee's seal: the agreement takes effect only when everyone has signed."""
    _resolved, case, target, _n = _act(actor, case_id, version, "seal")
    if case.mediator_signed_at is None or case.parties.filter(signed_at__isnull=True).exists():
        raise fail(errors.NOT_ALL_SIGNED)
    now = now or timezone.now()
    due = timezone.localtime(now).date() + dt.timedelta(days=clocks.CONFIRMATION_DAYS)
    return _write(
        case, version, status=target, seal_applied_at=now, effective_at=now, settled_at=now, confirmation_due=due
    )

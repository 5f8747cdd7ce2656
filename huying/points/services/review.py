"""Review before credit: one action of the claim TRANSITIONS table, checked by the kernel and written
with a compare-and-set on ``version``. Crediting posts once (key ``claim:<id>``); a credited claim is
corrected by a reversing posting, never by an edit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huying.accounts.models import User
from huying.accounts.roles import CITIZEN
from huying.accounts.selectors import Actor, actor_for
from huying.core.errors import ConcurrentModification, NotFound, ValidationFailed
from huying.core.months import add_months
from huying.core.statemachine import versioned_update

from .. import errors
from ..claim_models import Claim, ClaimEvent
from ..ledger_models import Account, AppraisalEntry, Posting
from ..models import SchemeItem
from ..permissions import may_review
from ..states import REVIEWER, SYSTEM, TRANSITIONS, ClaimAction, ClaimStatus
from . import ledger
from .claims import cap_room


def _roles(actor: Actor | None, claim: Claim) -> set[str]:
    if actor is None:
        return {SYSTEM}
    roles: set[str] = set()
    if actor.is_authenticated:
        roles.add(CITIZEN)  # anyone signed in may object to a claim under 公示
    if may_review(actor, claim.scheme):
        roles.add(REVIEWER)
    return roles


def _visible(actor: Actor | None, claim: Claim) -> bool:
    if actor is None or claim.status == ClaimStatus.PUBLICISED:
        return True
    return claim.user_id == getattr(actor.user, "pk", None) or may_review(actor, claim.scheme)


def claim_act(
    *,
    actor: Actor | User | AnonymousUser | None,
    claim: Claim | int,
    action: str,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Claim:
    """Take ``action`` on the claim. NotFound when the actor may not see it; the kernel's refusals
    otherwise; ``over_cap`` when nothing is left under the caps; ``publicity_open`` before the
    objection window closes."""
    moment = now or timezone.now()
    resolved = actor_for(actor) if actor is not None else None
    with transaction.atomic():
        pk = claim if isinstance(claim, int) else claim.pk
        current = Claim.objects.select_related("scheme__unit", "item", "user").filter(pk=pk).first()
        if current is None or not _visible(resolved, current):
            raise NotFound()
        if expected_version is not None and int(expected_version) != current.version:
            raise ConcurrentModification(data={"current_version": current.version, "status": current.status})
        if action not in ClaimAction.values:
            raise ValidationFailed(_("未知操作。"), data={"action": action})
        transition, note = TRANSITIONS.check(
            source=current.status, action=action, roles=_roles(resolved, current), note=note
        )
        user = resolved.user if resolved is not None else None
        updates = _effects(current, action, note, moment, user)
        versioned_update(
            Claim.objects.filter(pk=pk), expected_version=current.version, status=transition.target, **updates
        )
        ClaimEvent.objects.create(
            claim=current,
            action=action,
            from_status=current.status,
            to_status=transition.target,
            actor=user if getattr(user, "pk", None) else None,
            note=note,
            at=moment,
        )
    return Claim.objects.get(pk=pk)


def _effects(claim: Claim, action: str, note: str, moment: dt.datetime, user: Any) -> dict[str, Any]:
    if action == ClaimAction.RECOGNISE:
        return _recognise(claim)
    if action == ClaimAction.REJECT:
        return {"reason": note, "points": 0}
    if action == ClaimAction.PUBLICISE:
        days = claim.scheme.publicity_days if claim.scheme else 0
        return {"publicity_ends_at": moment + dt.timedelta(days=days)}
    if action == ClaimAction.OBJECT:
        return {"publicity_ends_at": None, "reason": _("公示期间有异议：%(note)s") % {"note": note}}
    if action == ClaimAction.CREDIT:
        if claim.publicity_ends_at is not None and moment < claim.publicity_ends_at:
            raise ValidationFailed(_("公示期尚未结束，不能入账。"), code=errors.PUBLICITY_OPEN)
        return {"posting": _credit(claim, moment, user)}
    if action == ClaimAction.REVERSE:
        _reverse(claim, note, moment, user)
        return {"reason": note}
    return {}


def _recognise(claim: Claim) -> dict[str, Any]:
    assert claim.item is not None
    if claim.item.wallet == SchemeItem.Wallet.SPENDABLE:
        # Two reviewers recognising one person's claims at once are taken in turn (PostgreSQL row lock).
        ledger.wallet_of(claim.user)
        Account.objects.select_for_update().filter(kind=Account.Kind.WALLET, user_id=claim.user_id).first()
    room, why = cap_room(claim, claim.item, claim.requested)
    if claim.requested > 0 and room <= 0:
        message = _("已达积分上限（%(why)s），请作不予认定。") % {"why": why}
        raise ValidationFailed(message, code=errors.OVER_CAP)
    reason = _("按%(why)s核减为%(n)d分。") % {"why": why, "n": room} if room != claim.requested else ""
    return {"points": room, "reason": reason}


def _credit(claim: Claim, moment: dt.datetime, user: object) -> Posting | None:
    assert claim.item is not None and claim.scheme is not None
    reason = _("%(item)s（申报 %(number)s）") % {"item": claim.item.name, "number": claim.number}
    if claim.item.wallet == SchemeItem.Wallet.APPRAISAL:
        AppraisalEntry.objects.create(
            user_id=claim.user_id,
            scheme=claim.scheme,
            year=timezone.localtime(claim.occurred_at).year,
            points=claim.points,
            key=f"claim:{claim.pk}",
            reason=reason,
            created_at=moment,
        )
        return None
    if claim.points <= 0:
        return None
    target = ledger.household_account(claim.household) if claim.household else ledger.wallet_of(claim.user)
    months = claim.scheme.expiry_months
    expires = add_months(timezone.localtime(moment).date(), months) if months else None
    posting, _created = ledger.post(
        key=f"claim:{claim.pk}",
        kind=Posting.Kind.EARN,
        reason=reason,
        lines=[(ledger.budget_account(claim.scheme), -claim.points), (target, claim.points)],
        user=user,
        scheme=claim.scheme,
        expires_on=expires,
        now=moment,
    )
    return posting


def _reverse(claim: Claim, note: str, moment: dt.datetime, user: object) -> None:
    assert claim.scheme is not None
    reason = _("冲正申报 %(number)s：%(note)s") % {"number": claim.number, "note": note}
    if claim.posting is not None:
        ledger.reverse(claim.posting, reason=reason, user=user, now=moment)
    elif claim.item is not None and claim.item.wallet == SchemeItem.Wallet.APPRAISAL:
        AppraisalEntry.objects.create(
            user_id=claim.user_id,
            scheme=claim.scheme,
            year=timezone.localtime(claim.occurred_at).year,
            points=-claim.points,
            key=f"claim-reverse:{claim.pk}",
            reason=reason,
            created_at=moment,
        )


def credit_due(*, now: dt.datetime | None = None) -> int:
    """The sweep: credit every claim whose objection window has closed. Idempotent."""
    moment = now or timezone.now()
    done = 0
    due = Claim.objects.filter(status=ClaimStatus.PUBLICISED, publicity_ends_at__lte=moment)
    for pk in due.values_list("pk", flat=True):
        try:
            claim_act(actor=None, claim=pk, action=ClaimAction.CREDIT, now=moment)
            done += 1
        except (ConcurrentModification, ValidationFailed):
            continue  # acted on meanwhile, or refused (shown on the review page); the next run looks again
    return done

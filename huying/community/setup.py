"""Configuring a village or community: its profile, its bodies with their members, and its
consultation paths (the rules of procedure as data). Used by the admin's deployments, the demo
and the tests; the bodies' quorum and majority start from the law's usual rules (rules.BODY_RULES)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from huying.accounts.models import User
from huying.organisations.models import OrgUnit

from . import errors
from .models import Body, CommunityProfile, ConsultPath, Member, PathStep
from .permissions import current_members
from .rules import BODY_RULES
from .services.common import fail


@dataclass(frozen=True)
class Seat:
    name: str
    user: User | None = None
    post: str = ""
    is_woman: bool = False


def community_configure(
    unit: OrgUnit,
    *,
    slug: str,
    kind: str = CommunityProfile.Kind.VILLAGE,
    adult_residents: int = 0,
    households: int = 0,
    board_location: str = "",
    proposal_signatures: int = 5,
) -> CommunityProfile:
    profile, _created = CommunityProfile.objects.update_or_create(
        unit=unit,
        defaults={
            "slug": slug,
            "kind": kind,
            "adult_residents": adult_residents,
            "households": households,
            "board_location": board_location,
            "proposal_signatures": proposal_signatures,
        },
    )
    return profile


@transaction.atomic
def body_create(unit: OrgUnit, kind: str, name: str, seats: Sequence[Seat], valid_from: dt.date | None = None) -> Body:
    """A body with the usual rule of its kind. A supervisory committee may not seat a committee member
    (山东省村务公开条例 Art. 14; 村民委员会组织法 Art. 32)."""
    rule = BODY_RULES[kind]
    body = Body.objects.create(
        unit=unit,
        kind=kind,
        name=name,
        quorum_num=rule.quorum.numerator,
        quorum_den=rule.quorum.denominator,
        quorum_strict=rule.quorum_strict,
        majority_num=rule.majority.numerator,
        majority_den=rule.majority.denominator,
        majority_base=rule.majority_base,
    )
    if kind == Body.Kind.SUPERVISORY:
        committee_users = {
            m.user_id for b in Body.objects.filter(unit=unit, kind=Body.Kind.COMMITTEES) for m in current_members(b)
        }
        if any(seat.user is not None and seat.user.pk in committee_users for seat in seats):
            raise fail(errors.SUPERVISOR_CONFLICT)
    start = valid_from or timezone.localdate() - dt.timedelta(days=365)
    Member.objects.bulk_create(
        Member(body=body, user=s.user, name=s.name, post=s.post, is_woman=s.is_woman, valid_from=start) for s in seats
    )
    return body


@transaction.atomic
def path_create(
    unit: OrgUnit,
    name: str,
    steps: Sequence[tuple[Body, str]],
    executor: Body,
    *,
    notice_days: int = 1,
    is_default: bool = False,
) -> ConsultPath:
    if is_default:
        ConsultPath.objects.filter(unit=unit, is_default=True).update(is_default=False)
    path = ConsultPath.objects.create(
        unit=unit, name=name, executor=executor, notice_days=notice_days, is_default=is_default
    )
    PathStep.objects.bulk_create(
        PathStep(path=path, order=i, body=body, purpose=purpose) for i, (body, purpose) in enumerate(steps, start=1)
    )
    return path

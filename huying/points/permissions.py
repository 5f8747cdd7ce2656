"""Who acts on what in the points loop: a reviewer within the units of their role, a merchant's
registered cashier for that merchant only, a person on their own wallet."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.organisations.selectors import under_paths_q

from .models import HouseholdMember, Merchant, MerchantStaff, Scheme


def is_superuser(actor: Actor) -> bool:
    return bool(getattr(actor.user, "is_superuser", False))


def reviewer_scope_q(actor: Actor, prefix: str = "scheme__unit__path") -> Q | None:
    """The schemes (through ``prefix``) a reviewer reviews; None: every scheme (superuser)."""
    if is_superuser(actor):
        return None
    return under_paths_q(actor.unit_paths(Role.POINTS_REVIEWER), prefix)


def may_review(actor: Actor, scheme: Scheme | None) -> bool:
    if is_superuser(actor):
        return True
    if scheme is None:
        return False
    return any(scheme.unit.path.startswith(path) for path in actor.unit_paths(Role.POINTS_REVIEWER))


def managed_units_q(actor: Actor, prefix: str = "path") -> Q | None:
    """The units (through ``prefix``) whose schemes, merchants and exchange days the actor keeps:
    a points reviewer's units and those under them; None: every unit (superuser)."""
    return reviewer_scope_q(actor, prefix)


def may_manage(actor: Actor, unit: Any) -> bool:
    if is_superuser(actor):
        return True
    return unit is not None and any(unit.path.startswith(p) for p in actor.unit_paths(Role.POINTS_REVIEWER))


def merchant_of(actor: Actor) -> Merchant | None:
    """The merchant whose cashier the actor is (holding the merchant role), if any."""
    if not actor.is_authenticated or not actor.has_role(Role.MERCHANT):
        return None
    staff = MerchantStaff.objects.select_related("merchant").filter(user=actor.user).first()
    return staff.merchant if staff and staff.merchant.is_active else None


def household_of(user_id: int) -> HouseholdMember | None:
    return HouseholdMember.objects.select_related("household").filter(user_id=user_id).first()

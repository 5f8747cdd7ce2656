"""Reads of e-licences, scoped by who asks. Missing and forbidden look the same (NotFound)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from huying.accounts.roles import Role
from huying.accounts.selectors import actor_for
from huying.core.errors import NotFound

from .models import Authorisation, Licence, LicenceStatus, LicenceType, LicenceUse

# Staff who verify licences at a window (扫码核验).
VERIFIER_ROLES = frozenset({Role.CLERK, Role.REVIEWER, Role.HALL_MANAGER, Role.ADMIN})
# Staff who may open a verified licence unmasked (each view logged).
FULL_VIEW_ROLES = frozenset({Role.CLERK, Role.ADMIN})


def usable_q(on: Any = None) -> Q:
    day = on or timezone.localdate()
    return (
        Q(status=LicenceStatus.VALID) & Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    )


def valid_licence_for(holder_code: str, type_code: str) -> Licence | None:
    """The holder's usable licence of this type: status valid, within validity, latest version."""
    code = (holder_code or "").strip().upper()
    if not code or not type_code:
        return None
    return (
        Licence.objects.filter(usable_q(), holder_code=code, type__code=type_code)
        .select_related("type")
        .order_by("-issued_on", "-version", "-pk")
        .first()
    )


def licence_types(*, active_only: bool = True) -> QuerySet[LicenceType]:
    qs = LicenceType.objects.all()
    return qs.filter(active=True) if active_only else qs


def active_authorisations_q() -> Q:
    now = timezone.now()
    return Q(revoked_at__isnull=True, valid_from__lte=now, valid_until__gte=now)


def licences_of_holder(user: Any) -> QuerySet[Licence]:
    """The citizen's own licences (by their 实名 ID number), newest first, superseded versions left out."""
    id_number = getattr(user, "id_number", "") or ""
    if not getattr(user, "is_authenticated", False) or not id_number:
        return Licence.objects.none()
    return (
        Licence.objects.filter(holder_code=id_number.upper())
        .exclude(status=LicenceStatus.SUPERSEDED)
        .select_related("type")
        .order_by("type__code", "-issued_on", "-pk")
    )


def authorisations_to(user: Any) -> QuerySet[Authorisation]:
    """Active authorisations granted to the user, with usable licences."""
    if not getattr(user, "is_authenticated", False):
        return Authorisation.objects.none()
    return (
        Authorisation.objects.filter(active_authorisations_q(), grantee=user)
        .select_related("licence__type")
        .order_by("-created_at", "-pk")
    )


def is_holder(user: Any, licence: Licence) -> bool:
    id_number = (getattr(user, "id_number", "") or "").upper()
    return bool(getattr(user, "is_authenticated", False) and id_number and id_number == licence.holder_code)


def active_authorisation_for(user: Any, licence: Licence) -> Authorisation | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Authorisation.objects.filter(active_authorisations_q(), licence=licence, grantee=user)
        .order_by("-valid_until", "-pk")
        .first()
    )


def licence_for_holder(*, user: Any, pk: Any) -> Licence:
    """A licence the user holds; NotFound otherwise (another's licence looks missing)."""
    try:
        licence = Licence.objects.select_related("type").get(pk=int(pk))
    except (Licence.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if not is_holder(user, licence):
        raise NotFound()
    return licence


def licence_for_shower(*, user: Any, pk: Any) -> tuple[Licence, Authorisation | None]:
    """A licence the user may show: their own, or one under an active authorisation to them."""
    try:
        licence = Licence.objects.select_related("type").get(pk=int(pk))
    except (Licence.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if is_holder(user, licence):
        return licence, None
    authorisation = active_authorisation_for(user, licence)
    if authorisation is None:
        raise NotFound()
    return licence, authorisation


def uses_for_holder(user: Any) -> QuerySet[LicenceUse]:
    """用证记录 of the user's licences (all versions), and of uses they made under an authorisation."""
    id_number = (getattr(user, "id_number", "") or "").upper()
    if not getattr(user, "is_authenticated", False):
        return LicenceUse.objects.none()
    q = Q(shown_by=user)
    if id_number:
        q |= Q(licence__holder_code=id_number)
    return (
        LicenceUse.objects.filter(q)
        .select_related("licence__type", "verifier", "unit", "authorisation__grantee", "shown_by")
        .order_by("-created_at", "-pk")
    )


def is_verifier(user: Any) -> bool:
    actor = actor_for(user)
    return actor.is_authenticated and (bool(actor.role_names() & VERIFIER_ROLES) or bool(user.is_superuser))


def may_view_full(user: Any) -> bool:
    actor = actor_for(user)
    return actor.is_authenticated and (bool(actor.role_names() & FULL_VIEW_ROLES) or bool(user.is_superuser))


def use_for_verifier(*, user: Any, pk: Any) -> LicenceUse:
    """A use the user recorded (admins: any use)."""
    try:
        use = LicenceUse.objects.select_related("licence__type", "unit").get(pk=int(pk))
    except (LicenceUse.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    actor = actor_for(user)
    if actor.has_role(Role.ADMIN) or user.is_superuser or (use.verifier_id is not None and use.verifier_id == user.pk):
        return use
    raise NotFound()


def user_by_handle(handle: str) -> Any:
    """A user by exact username, or by phone when exactly one account has it; None otherwise."""
    from huying.accounts.models import User

    text = (handle or "").strip()
    if not text:
        return None
    user = User.objects.filter(username=text, is_active=True).first()
    if user is not None:
        return user
    matches = list(User.objects.filter(phone=text.replace(" ", "").replace("-", ""), is_active=True)[:2])
    return matches[0] if len(matches) == 1 else None

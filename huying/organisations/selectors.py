from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import OrgUnit


def org_unit_subtree(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__startswith=unit.path)


def handling_units() -> QuerySet[OrgUnit]:
    """Units work orders can be dispatched to."""
    return OrgUnit.objects.filter(
        is_active=True,
        kind__in=[
            OrgUnit.Kind.DEPARTMENT,
            OrgUnit.Kind.TOWNSHIP,
            OrgUnit.Kind.COMMUNITY,
            OrgUnit.Kind.ENTERPRISE,
            OrgUnit.Kind.GOVERNMENT,
        ],
    )


def under_paths_q(paths: Iterable[str], field: str = "unit__path") -> Q:
    """Rows whose unit (its path reached through ``field``) is one of ``paths`` or below one: the scope
    of a role held at those units. No paths: no rows."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q

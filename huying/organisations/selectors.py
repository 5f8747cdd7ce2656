from __future__ import annotations

from django.db.models import QuerySet

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

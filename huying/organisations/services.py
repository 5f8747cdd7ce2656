"""Writes for the organisation tree."""

from __future__ import annotations

from django.db import transaction

from .models import Division, OrgUnit


@transaction.atomic
def org_unit_create(
    *, name: str, kind: str, parent: OrgUnit | None = None, division: Division | None = None, short_name: str = ""
) -> OrgUnit:
    """Create a unit and set its materialised path from its parent's."""
    unit = OrgUnit.objects.create(name=name, kind=kind, parent=parent, division=division, short_name=short_name)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit

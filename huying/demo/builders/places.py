"""The demo's places in the org tree, shared by every builder: a unit is found by its name or created
under its parent, so two loops that both work in 李沧区 (canteens, community consultation) meet in the
same district and street, whichever builder runs first."""

from __future__ import annotations

from typing import Any

from huying.organisations.models import OrgUnit
from huying.organisations.services import org_unit_create


def unit(name: str, kind: str, parent: OrgUnit | None, **fields: Any) -> OrgUnit:
    found = OrgUnit.objects.filter(name=name).order_by("pk").first()
    return found or org_unit_create(name=name, kind=kind, parent=parent, **fields)


def root() -> OrgUnit | None:
    """The city the demo runs (滨州市人民政府): other cities' districts are drawn beside its own."""
    return OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()


def licang() -> OrgUnit:
    """青岛市李沧区: the elderly canteens and the 虎山 community's consultation."""
    return unit("青岛市李沧区人民政府", OrgUnit.Kind.GOVERNMENT, root())


def yiyuan() -> OrgUnit:
    """淄博市沂源县: the 历山 street's village governance."""
    return unit("沂源县人民政府", OrgUnit.Kind.GOVERNMENT, root())

"""What self-governance offers the apps beside it, through core.registry.community_topics:

    community_topics.call("raise", actor=..., unit_id=..., title=..., text=..., source_ref="...")
        -> str | None   (the topic's number; None when the unit is no configured village or community)

A deputy's reception (接待选民日) hands a shared matter to the village or community it concerns
without importing this app; the actor is the deputy (a DEPUTY role) or the community's staff."""

from __future__ import annotations

from typing import Any

from huying.organisations.models import OrgUnit

from .models import CommunityProfile
from .services.topics import topic_from_reception


def raise_topic(*, actor: Any, unit_id: int, title: str, text: str, source_ref: str = "") -> str | None:
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not CommunityProfile.objects.filter(unit=unit).exists():
        return None
    topic = topic_from_reception(actor=actor, unit=unit, title=title, text=text, source_ref=source_ref)
    return str(topic.number)


def publication_duties_sweep() -> str:
    """``manage.py sweep``: one line counting the places whose notice board has an item due soon or
    overdue (the workbench lists them; the line is for the street's daily log)."""
    from .models import CommunityProfile
    from .schedule import DUE_SOON, OVERDUE
    from .selectors import duties

    soon = overdue = 0
    for profile in CommunityProfile.objects.select_related("unit"):
        states = {d.state for d in duties(profile)}
        soon += DUE_SOON in states
        overdue += OVERDUE in states
    return f"村务公开提醒：{soon} 个村（社区）有即将到期的公开事项，{overdue} 个有超期未公开的事项。"

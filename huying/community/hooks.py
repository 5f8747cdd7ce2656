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

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .selectors import actor_for


def roles(request: HttpRequest) -> dict[str, Any]:
    actor = actor_for(getattr(request, "user", None))
    return {"actor_roles": actor.role_names(), "is_citizen": actor.is_citizen}

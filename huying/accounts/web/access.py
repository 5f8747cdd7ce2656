"""Who may open a staff page: one rule for every app.

A superuser passes; a visitor who is not signed in goes to the login page; a signed-in user
without any of the roles gets 404, the same "not yours" answer as a record they may not see, so a
page does not tell a stranger that it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from huying.core.errors import NotFound

from ..selectors import Actor, actor_for

View = Callable[..., HttpResponse]


def may_use(actor: Actor, roles: tuple[str, ...]) -> bool:
    """Whether the actor may open a page meant for ``roles`` (superusers always may)."""
    return bool(getattr(actor.user, "is_superuser", False)) or any(actor.has_role(role) for role in roles)


def role_required(*roles: str) -> Callable[[View], View]:
    """Decorate a page view ``view(request, actor, *args, **kwargs)`` that only ``roles`` may open."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = actor_for(request.user)
            if not may_use(actor, roles):
                raise NotFound()
            return view(request, actor, *args, **kwargs)

        return wrapped

    return decorator

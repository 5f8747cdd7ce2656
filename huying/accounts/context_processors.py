from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from huying.core.registry import FOOTER_MENU, MAIN_MENU

from .apps import ACCOUNT_MENU
from .selectors import actor_for
from .web.navigation import menu_links


def roles(request: HttpRequest) -> dict[str, Any]:
    """Who is acting, and the menus they see (built only when a template shows them)."""
    actor = actor_for(getattr(request, "user", None))
    return {
        "actor_roles": actor.role_names(),
        "is_citizen": actor.is_citizen,
        "main_menu": SimpleLazyObject(lambda: menu_links(request, actor, MAIN_MENU)),
        "footer_menu": SimpleLazyObject(lambda: menu_links(request, actor, FOOTER_MENU)),
        "account_menu": SimpleLazyObject(lambda: menu_links(request, actor, ACCOUNT_MENU)),
    }

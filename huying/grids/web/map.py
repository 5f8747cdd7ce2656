"""The street's grid map: grid polygons coloured by open cases and overdue visits (Leaflet, vendored).
With no tile URL configured the map draws the polygons over a plain background and needs no internet."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required

from ..map_layer import grid_layer_for

MAP_ROLES = (Role.HANDLER, Role.SUPERVISOR, Role.ADMIN, Role.GRID_WORKER)


@role_required(*MAP_ROLES)
@require_GET
def street_map(request: HttpRequest, actor: Actor) -> HttpResponse:
    context = {
        "tile_url": getattr(settings, "HUYING_MAP_TILE_URL", ""),
        "tile_attribution": getattr(settings, "HUYING_MAP_TILE_ATTRIBUTION", ""),
    }
    return render(request, "grids/map.html", context)


@role_required(*MAP_ROLES)
@require_GET
def grid_layer(request: HttpRequest, actor: Actor) -> HttpResponse:
    response = JsonResponse(grid_layer_for(actor=actor), content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=60"
    return response

"""The grid figures page for the street and the district (linked from the staff menu)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huying.accounts.roles import Role
from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required

from ..figures import grid_figures_for


@role_required(Role.HANDLER, Role.SUPERVISOR, Role.ADMIN)
@require_GET
def figures(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "grids/figures.html", {"f": grid_figures_for(actor=actor)})

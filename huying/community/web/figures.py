"""The figures page of a village or community."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from huying.accounts.selectors import Actor
from huying.accounts.web.access import role_required
from huying.core.params import int_param

from .. import selectors
from ..figures import figures_for
from .common import STAFF_ROLES


@role_required(*STAFF_ROLES)
@require_http_methods(["GET"])
def figures(request: HttpRequest, actor: Actor, slug: str) -> HttpResponse:
    profile = selectors.profile_for_staff(actor, slug)
    year = int_param(
        request.GET.get("year"), name="year", minimum=2000, maximum=2999, default=timezone.localdate().year
    )
    assert year is not None
    return render(request, "community/figures.html", {"profile": profile, "f": figures_for(profile.unit, year)})

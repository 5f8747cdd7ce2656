"""The site's URLs plus one view that fails, to see what a server error looks like."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom: an unexpected failure")


urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), *site]
handler500 = "huying.core.middleware.server_error"

"""/open311/: the page for developers, and GeoReport v2 under /open311/v2/ (JSON and XML)."""

from django.urls import URLPattern, path, register_converter

from . import views
from .formats import FormatConverter

register_converter(FormatConverter, "open311_format")

app_name = "open311"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("v2/services.<open311_format:fmt>", views.service_list, name="services"),
    path("v2/services/<str:code>.<open311_format:fmt>", views.service_definition, name="service"),
    path("v2/requests.<open311_format:fmt>", views.request_list, name="requests"),
    path("v2/requests/<str:request_id>.<open311_format:fmt>", views.request_detail, name="request"),
]

from django.urls import path

from . import report, views

app_name = "grids"
urlpatterns = [
    path("card/<str:code>/", views.notice_card, name="notice_card"),
    path("report/", report.report, name="report"),
    path("report/manifest.webmanifest", report.manifest, name="report_manifest"),
    path("sw.js", report.service_worker, name="service_worker"),
]

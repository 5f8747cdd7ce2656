from django.urls import path

from . import report, views, visit

app_name = "grids"
urlpatterns = [
    path("card/<str:code>/", views.notice_card, name="notice_card"),
    path("report/", report.report, name="report"),
    path("report/manifest.webmanifest", report.manifest, name="report_manifest"),
    path("visits/", visit.visits, name="visits"),
    path("cases/", visit.cases, name="cases"),
    path("cases/<int:appeal_id>/act/", visit.case_act, name="case_act"),
    path("sw.js", report.service_worker, name="service_worker"),
]

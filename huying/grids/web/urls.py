from django.urls import path

from . import figures, map, report, tasks, views, visit

app_name = "grids"
urlpatterns = [
    path("card/<str:code>/", views.notice_card, name="notice_card"),
    path("report/", report.report, name="report"),
    path("report/manifest.webmanifest", report.manifest, name="report_manifest"),
    path("visits/", visit.visits, name="visits"),
    path("cases/", visit.cases, name="cases"),
    path("cases/<int:appeal_id>/act/", visit.case_act, name="case_act"),
    path("sw.js", report.service_worker, name="service_worker"),
    path("tasks/", tasks.worker_tasks, name="worker_tasks"),
    path("tasks/a/<int:assignment_id>/", tasks.assignment_detail, name="task_assignment"),
    path("tasks/street/", tasks.street_tasks, name="street_tasks"),
    path("tasks/street/<int:task_id>/", tasks.street_task, name="street_task"),
    path("map/", map.street_map, name="map"),
    path("map/grids.geojson", map.grid_layer, name="map_layer"),
    path("figures/", figures.figures, name="figures"),
]

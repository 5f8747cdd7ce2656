from django.urls import path

from . import figures, map, tasks, views

app_name = "grids"
urlpatterns = [
    path("card/<str:code>/", views.notice_card, name="notice_card"),
    path("tasks/", tasks.worker_tasks, name="worker_tasks"),
    path("tasks/a/<int:assignment_id>/", tasks.assignment_detail, name="task_assignment"),
    path("tasks/street/", tasks.street_tasks, name="street_tasks"),
    path("tasks/street/<int:task_id>/", tasks.street_task, name="street_task"),
    path("map/", map.street_map, name="map"),
    path("map/grids.geojson", map.grid_layer, name="map_layer"),
    path("figures/", figures.figures, name="figures"),
]

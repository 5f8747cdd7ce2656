from django.urls import path

from . import views

app_name = "halls"
urlpatterns = [
    path("", views.halls_index, name="index"),
    path("<int:hall_id>/take/", views.take, name="take"),
    path("<int:hall_id>/display/", views.display, name="display"),
    path("<int:hall_id>/display.json", views.display_json, name="display_json"),
    path("<int:hall_id>/figures/", views.figures, name="figures"),
    path("tickets/<str:public_id>/", views.ticket, name="ticket"),
    path("tickets/<str:public_id>/cancel/", views.ticket_cancel, name="ticket_cancel"),
    path("windows/", views.windows, name="windows"),
    path("windows/<int:pk>/", views.console, name="console"),
    path("windows/<int:pk>/act/", views.console_act, name="console_act"),
    path("windows/<int:pk>/rater/<str:key>/", views.rating_device, name="rating_device"),
    path("planner/", views.planner_view, name="planner"),
]

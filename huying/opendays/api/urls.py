from django.urls import path

from . import views

app_name = "opendays_api"
urlpatterns = [
    path("events/", views.EventsView.as_view(), name="events"),
    path("events/<int:event_id>/draws/", views.DrawsView.as_view(), name="draws"),
]

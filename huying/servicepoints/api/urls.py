from django.urls import path

from . import views

app_name = "servicepoints_api"
urlpatterns = [
    path("nearest/", views.NearestView.as_view(), name="nearest"),
    path("points/<str:code>/", views.PointDetailView.as_view(), name="point"),
]

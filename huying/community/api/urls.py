"""/api/v1/community/ — mounted by config/urls.py."""

from django.urls import path

from . import views

app_name = "community_api"
urlpatterns = [
    path("boards/<slug:slug>/", views.BoardView.as_view(), name="board"),
    path("units/<slug:slug>/duties/", views.DutiesView.as_view(), name="duties"),
    path("meetings/<int:meeting_id>/vote/", views.VoteView.as_view(), name="vote"),
]

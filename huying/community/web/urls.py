from django.urls import path

from . import appraisal, board, documents, figures, views

app_name = "community"
urlpatterns = [
    path("", views.home, name="home"),
    path("findings/", views.findings, name="findings"),
    path("u/<slug:slug>/", views.unit, name="unit"),
    path("u/<slug:slug>/topics/new/", views.topic_new, name="topic_new"),
    path("u/<slug:slug>/publications/new/", board.publication_new, name="publication_new"),
    path("u/<slug:slug>/appraisals/", appraisal.appraisals, name="appraisals"),
    path("u/<slug:slug>/documents/", documents.documents, name="documents"),
    path("u/<slug:slug>/figures/", figures.figures, name="figures"),
    path("topics/<int:topic_id>/", views.topic, name="topic"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("publications/<int:publication_id>/", board.publication, name="publication"),
    path("surveys/<int:survey_id>/", appraisal.survey, name="survey"),
    path("board/<slug:slug>/", board.board, name="board"),
    path("board/<slug:slug>/act/", board.board_act, name="board_act"),
]

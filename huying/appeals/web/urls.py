from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    # Citizens
    path("new/", views.submit, name="new"),
    path("new/done/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/progress/", views.public_detail, name="public_detail"),
    path("<int:pk>/follow-up/", views.public_follow_up, name="public_follow_up"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    # Staff
    path("workbench/", views.workbench, name="workbench"),
    path("suggest-unit/", views.suggest_unit, name="suggest_unit"),
    path("suggest-category/", views.suggest_category, name="suggest_category"),
    path("inbox/", views.inbox, name="inbox"),
    path("board/", views.board, name="board"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
]

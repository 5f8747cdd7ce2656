from django.urls import path

from . import views

app_name = "dispatch_api"
urlpatterns = [
    path("suggest/", views.SuggestView.as_view(), name="suggest"),
    path("appeals/<int:pk>/similar/", views.SimilarView.as_view(), name="similar"),
    path("hot-issues/", views.HotIssuesView.as_view(), name="hot-issues"),
    path("key-problems/", views.KeyProblemListView.as_view(), name="key-problems"),
    path("key-problems/<int:pk>/", views.KeyProblemDetailView.as_view(), name="key-problem"),
    path("key-problems/<int:pk>/meetings/", views.KeyProblemMeetingView.as_view(), name="key-problem-meetings"),
    path("key-problems/<int:pk>/reply/", views.KeyProblemReplyView.as_view(), name="key-problem-reply"),
]

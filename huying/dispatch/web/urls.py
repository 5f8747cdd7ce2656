from django.urls import path

from . import views

app_name = "dispatch"
urlpatterns = [
    path("hot/", views.hot_issues, name="hot_issues"),
    path("model/", views.model_performance, name="model"),
    path("key-problems/", views.key_problems, name="key_problems"),
    path("key-problems/new/", views.key_problem_new, name="key_problem_new"),
    path("key-problems/<int:pk>/", views.key_problem, name="key_problem"),
    path("key-problems/<int:pk>/meetings/", views.key_problem_meeting, name="key_problem_meeting"),
    path("key-problems/<int:pk>/reply/", views.key_problem_reply, name="key_problem_reply"),
]

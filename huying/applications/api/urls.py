"""/api/v1/applications/ — mounted by config/urls.py."""

from django.urls import path

from . import views

app_name = "applications_api"
urlpatterns = [
    path("", views.ApplicationListView.as_view(), name="list"),
    path("tasks/", views.TaskListView.as_view(), name="tasks"),
    path("tasks/<int:task_id>/decide/", views.TaskDecideView.as_view(), name="task-decide"),
    path("proxies/", views.ProxyListView.as_view(), name="proxies"),
    path("assists/", views.AssistCreateView.as_view(), name="assists"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("<str:number>/", views.ApplicationDetailView.as_view(), name="detail"),
    path("<str:number>/timeline/", views.ApplicationTimelineView.as_view(), name="timeline"),
    path("<str:number>/personal-data/", views.ApplicationPersonalDataView.as_view(), name="personal-data"),
    path("<str:number>/materials/", views.ApplicationMaterialsView.as_view(), name="materials"),
    path("<str:number>/materials/<slug:key>/files/", views.MaterialFilesView.as_view(), name="material-files"),
    path("<str:number>/files/<int:file_id>/", views.MaterialFileDownloadView.as_view(), name="material-file"),
    *[
        path(f"<str:number>/actions/{code}/", view.as_view(), name=f"action-{code}")
        for code, view in views.ACTION_VIEWS.items()
    ],
]

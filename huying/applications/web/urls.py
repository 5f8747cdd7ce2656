from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("accept/", views.accept, name="accept"),
    path("review/", views.review_inbox, name="review"),
    path("tasks/<int:pk>/decide/", views.task_decide, name="task_decide"),
    path("issue/", views.issue_window, name="issue"),
    path("apply/item/<str:code>/", views.apply_item, name="apply_item"),
    path("apply/bundle/<slug:code>/", views.apply_bundle, name="apply_bundle"),
    path("mine/", views.mine, name="mine"),
    path("proxies/", views.proxies, name="proxies"),
    path("assists/", views.assists, name="assists"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("figures/", views.figures, name="figures"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/act/", views.act, name="act"),
    path("<str:number>/reveal/", views.reveal, name="reveal"),
    path("<str:number>/materials/<slug:key>/upload/", views.material_upload, name="material_upload"),
    path("<str:number>/files/<int:file_id>/", views.material_file, name="material_file"),
    path("<str:number>/certificate/", views.certificate, name="certificate"),
]

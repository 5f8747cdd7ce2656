from django.urls import path

from . import views

app_name = "services"
urlpatterns = [
    path("", views.item_list, name="items"),
    path("items/<str:code>/", views.item_detail, name="item"),
    path("bundles/", views.bundle_list, name="bundles"),
    path("bundles/<slug:code>/", views.bundle_detail, name="bundle"),
    path("figures/", views.figures, name="figures"),
    path("manage/import/", views.manage_import, name="manage_import"),
    path("manage/export/", views.manage_export, name="manage_export"),
]

"""/api/v1/services/ (anything unmatched falls through to the API's problem+json 404)."""

from django.urls import path

from . import views

app_name = "services_api"
urlpatterns = [
    path("items/", views.ItemListView.as_view(), name="item-list"),
    path("items/<str:code>/", views.ItemDetailView.as_view(), name="item-detail"),
    path("bundles/", views.BundleListView.as_view(), name="bundle-list"),
    path("bundles/<slug:code>/", views.BundleDetailView.as_view(), name="bundle-detail"),
]

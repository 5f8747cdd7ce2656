"""/api/v1/licences/ (anything unmatched falls through to the API's problem+json 404)."""

from django.urls import path

from . import views

app_name = "licences_api"
urlpatterns = [
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("keys/", views.KeysView.as_view(), name="keys"),
    path("mine/", views.MyLicencesView.as_view(), name="mine"),
    path("uses/", views.UsesView.as_view(), name="uses"),
    path("<int:pk>/token/", views.ShowTokenView.as_view(), name="token"),
    path("<int:pk>/authorisations/", views.AuthorisationsView.as_view(), name="authorisations"),
    path("authorisations/<int:pk>/revoke/", views.AuthorisationRevokeView.as_view(), name="authorisation-revoke"),
]

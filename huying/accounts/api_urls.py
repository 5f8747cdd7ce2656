"""/api/v1/auth/ — token sign-in for integrations (namespace "accounts-api")."""

from django.urls import path

from .api import AuthTokenView

app_name = "accounts-api"
urlpatterns = [
    path("token/", AuthTokenView.as_view(), name="auth-token"),
]

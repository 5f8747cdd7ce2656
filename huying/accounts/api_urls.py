"""/api/v1/auth/ — token sign-in for integrations, and the caller's tokens (namespace "accounts-api")."""

from django.urls import path

from .api import AuthTokenView, TokenDetailView, TokenListView

app_name = "accounts-api"
urlpatterns = [
    path("token/", AuthTokenView.as_view(), name="auth-token"),
    path("tokens/", TokenListView.as_view(), name="auth-tokens"),
    path("tokens/<int:token_id>/", TokenDetailView.as_view(), name="auth-token-detail"),
]

from django.urls import path

from . import audit, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("tokens/", views.tokens_view, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("admin-home/", views.admin_home, name="admin_home"),
    path("access-log/", audit.access_log, name="access_log"),
]

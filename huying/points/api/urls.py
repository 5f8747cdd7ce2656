"""/api/v1/points/ (anything unmatched falls through to the API's problem+json 404)."""

from django.urls import path

from . import views

app_name = "points_api"
urlpatterns = [
    path("mine/", views.MineView.as_view(), name="mine"),
    path("code/", views.CodeView.as_view(), name="code"),
    path("redeem/", views.RedeemView.as_view(), name="redeem"),
    path("claims/<int:claim_id>/act/", views.ClaimActView.as_view(), name="claim-act"),
]

from django.urls import path

from . import views

app_name = "volunteers_api"
urlpatterns = [
    path("needs/suggested/", views.SuggestedNeedsView.as_view(), name="needs_suggested"),
    path("needs/<int:id>/claim/", views.NeedClaimView.as_view(), name="need_claim"),
]

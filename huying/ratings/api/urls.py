"""/api/v1/ratings/ — mounted by config/urls.py."""

from django.urls import path

from . import views

app_name = "ratings_api"
urlpatterns = [
    path("", views.RatingSubmitView.as_view(), name="submit"),
    path("act/", views.RatedActView.as_view(), name="act"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/personal-data/", views.CaseRaterPhoneView.as_view(), name="case-personal-data"),
    path("cases/<int:pk>/actions/<str:action>/", views.CaseActionView.as_view(), name="case-action"),
    path("cases/<int:pk>/complaint/", views.CaseComplaintView.as_view(), name="case-complaint"),
    path("complaints/", views.ComplaintListView.as_view(), name="complaint-list"),
    path("complaints/<int:pk>/review/", views.ComplaintReviewView.as_view(), name="complaint-review"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
]

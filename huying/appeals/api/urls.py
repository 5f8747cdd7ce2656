"""/api/v1/ — mounted by config/urls.py with the namespace "api"."""

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("appeals/", views.AppealListView.as_view(), name="appeal-list"),
    path("appeals/record-call/", views.AppealRecordCallView.as_view(), name="appeal-record-call"),
    path("appeals/<int:pk>/", views.AppealDetailView.as_view(), name="appeal-detail"),
    path("appeals/<int:pk>/timeline/", views.AppealTimelineView.as_view(), name="appeal-timeline"),
    path("appeals/<int:pk>/personal-data/", views.AppealPersonalDataView.as_view(), name="appeal-personal-data"),
    path("appeals/<int:pk>/assist-report/", views.AppealAssistReportView.as_view(), name="appeal-assist-report"),
    path("appeals/<int:pk>/attachments/", views.AppealAttachmentsView.as_view(), name="appeal-attachments"),
    *[
        path(f"appeals/<int:pk>/actions/{code}/", view.as_view(), name=f"appeal-action-{code}")
        for code, view in views.ACTION_VIEWS.items()
    ],
    path("appeals/<int:pk>/actions/<str:action>/", views.UnknownActionView.as_view(), name="appeal-action-unknown"),
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path("units/", views.UnitListView.as_view(), name="unit-list"),
    path("suggest-unit/", views.SuggestUnitView.as_view(), name="suggest-unit"),
    path("track/send-code/", views.TrackSendCodeView.as_view(), name="track-send-code"),
    path("track/verify/", views.TrackVerifyView.as_view(), name="track-verify"),
]

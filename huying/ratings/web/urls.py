from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("rate/", views.rate, name="rate"),
    path("rate/done/", views.thanks, name="thanks"),
    path("r/<str:token>/", views.link, name="link"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/act/", views.case_act, name="case_act"),
    path("cases/<int:pk>/reveal/", views.case_reveal, name="case_reveal"),
    path("cases/<int:pk>/complaint/", views.case_complain, name="case_complain"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/<int:pk>/review/", views.complaint_review, name="complaint_review"),
    path("figures/", views.figures, name="figures"),
]

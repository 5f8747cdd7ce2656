from django.urls import path

from . import views

app_name = "grids"
urlpatterns = [
    path("card/<str:code>/", views.notice_card, name="notice_card"),
]

from django.urls import URLPattern

app_name = "points_api"
urlpatterns: list[URLPattern] = []

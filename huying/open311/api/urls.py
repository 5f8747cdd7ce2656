from django.urls import URLPattern

app_name = "open311_api"
urlpatterns: list[URLPattern] = []

from django.urls import URLPattern

app_name = "servicepoints_api"
urlpatterns: list[URLPattern] = []

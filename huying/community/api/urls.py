from django.urls import URLPattern

app_name = "community_api"
urlpatterns: list[URLPattern] = []

from django.urls import URLPattern

app_name = "opendays_api"
urlpatterns: list[URLPattern] = []

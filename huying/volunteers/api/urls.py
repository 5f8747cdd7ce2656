from django.urls import URLPattern

app_name = "volunteers_api"
urlpatterns: list[URLPattern] = []

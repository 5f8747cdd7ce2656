from django.urls import URLPattern

app_name = "deputies_api"
urlpatterns: list[URLPattern] = []

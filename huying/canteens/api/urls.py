from django.urls import URLPattern

app_name = "canteens_api"
urlpatterns: list[URLPattern] = []

from django.urls import URLPattern

app_name = "canteens"
urlpatterns: list[URLPattern] = []

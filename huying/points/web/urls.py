from django.urls import URLPattern

app_name = "points"
urlpatterns: list[URLPattern] = []

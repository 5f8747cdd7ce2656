from django.urls import URLPattern

app_name = "servicepoints"
urlpatterns: list[URLPattern] = []

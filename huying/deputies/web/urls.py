from django.urls import URLPattern

app_name = "deputies"
urlpatterns: list[URLPattern] = []

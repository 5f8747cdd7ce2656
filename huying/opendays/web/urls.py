from django.urls import URLPattern

app_name = "opendays"
urlpatterns: list[URLPattern] = []

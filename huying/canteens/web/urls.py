from django.urls import path

from . import settle, views

app_name = "canteens"
urlpatterns = [
    path("", views.home, name="home"),
    path("figures/", settle.figures, name="figures"),
    path("c/<str:code>/", views.counter, name="counter"),
    path("c/<str:code>/deliveries/<int:meal_id>/", views.deliver, name="deliver"),
    path("c/<str:code>/elders/", views.elders, name="elders"),
    path("c/<str:code>/purchases/", views.purchases, name="purchases"),
    path("c/<str:code>/settlements/", settle.settlements, name="settlements"),
    path("settlements/<int:pk>/", settle.settlement, name="settlement"),
]

from django.urls import path

from . import views

app_name = "halls_api"
urlpatterns = [
    path("halls/<int:hall_id>/tickets/", views.TakeView.as_view(), name="take"),
    path("halls/<int:hall_id>/display/", views.DisplayView.as_view(), name="display"),
    path("halls/<int:hall_id>/figures/", views.FiguresView.as_view(), name="figures"),
    path("tickets/<str:public_id>/", views.TicketView.as_view(), name="ticket"),
    path("windows/<int:window_id>/call-next/", views.CallNextView.as_view(), name="call-next"),
    *[
        path(f"windows/<int:window_id>/{code}/", view.as_view(), name=f"window-{code}")
        for code, view in views.WINDOW_ACTION_VIEWS.items()
    ],
]

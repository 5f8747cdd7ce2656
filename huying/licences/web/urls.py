from django.urls import path

from . import views

app_name = "licences"
urlpatterns = [
    path("wallet/", views.wallet, name="wallet"),
    path("uses/", views.uses, name="uses"),
    path("verify/", views.verify, name="verify"),
    path("verify/<int:pk>/full/", views.full_view, name="full_view"),
    path("manage/import/", views.import_licences, name="import"),
    path("types/", views.types_list, name="types"),
    path("<int:pk>/show/", views.show, name="show"),
    path("<int:pk>/token/", views.token, name="token"),
    path("<int:pk>/authorisations/", views.authorisations, name="authorisations"),
]

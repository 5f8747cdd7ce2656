from django.urls import path

from . import manage, public

app_name = "opendays"
urlpatterns = [
    path("", public.events, name="events"),
    path("<int:event_id>/", public.event_detail, name="event"),
    path("<int:event_id>/register/", public.register, name="register"),
    path("<int:event_id>/draw/", public.draw_page, name="draw"),
    path("<int:event_id>/draws/<int:sequence>/panels.csv", public.panels_csv, name="panels_csv"),
    path("mine/", public.mine, name="mine"),
    path("registrations/<int:registration_id>/answer/", public.answer_invitation, name="answer"),
    path("manage/", manage.manage, name="manage"),
    path("manage/<int:event_id>/", manage.manage_event, name="manage_event"),
    path("manage/<int:event_id>/figures/", manage.figures, name="figures"),
]

from django.urls import path

from . import attendance, manage, organiser, views

app_name = "volunteers"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/<int:need_id>/", views.need_detail, name="need"),
    path("record/", views.record, name="record"),
    path("certificates/<str:number>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("verify/<str:number>/<str:code>/", views.verify, name="verify"),
    path("a/<int:activity_id>/qr/", attendance.activity_qr, name="activity_qr"),
    path("a/<int:activity_id>/signup/", views.activity_signup, name="activity_signup"),
    path("checkin/<int:activity_id>/<str:code>/", attendance.checkin, name="checkin"),
    path("hours/", attendance.hours, name="hours"),
    path("activities/", attendance.activities, name="activities"),
    path("figures/", attendance.figures, name="figures"),
    path("invites/<int:invite_id>/answer/", organiser.invite_answer, name="invite_answer"),
    path("callouts/", organiser.callouts, name="callouts"),
    path("register/import/", organiser.register_import, name="register_import"),
    path("teams/<int:team_id>/export.xlsx", organiser.register_export, name="register_export"),
    path("needs/from-appeal/", organiser.from_appeal, name="from_appeal"),
    path("manage/", manage.index, name="manage"),
    path("activities/new/", manage.activity_new, name="activity_new"),
    path("duty/", manage.duty, name="duty"),
    path("duty/<int:shift_id>/qr/", manage.duty_qr, name="duty_qr"),
    path("duty/<int:shift_id>/checkin/<str:code>/", manage.duty_checkin, name="duty_checkin"),
    path("duty/<int:shift_id>/swap/", manage.duty_swap, name="duty_swap"),
    path("training/", manage.training, name="training"),
    path("training/<int:course_id>/", manage.course, name="course"),
]

from django.urls import path

from . import proxy, public, staff

app_name = "servicepoints"
urlpatterns = [
    path("", public.map_page, name="map"),
    path("layer.geojson", public.points_layer, name="layer"),
    path("outlines.geojson", public.outlines_layer, name="outlines"),
    path("p/<str:code>/", public.point_detail, name="point"),
    path("track/", public.track, name="track"),
    path("track/case/", public.tracked_case, name="tracked_case"),
    path("manage/", staff.manage, name="manage"),
    path("manage/<str:code>/", staff.edit, name="edit"),
    path("figures/", staff.figures, name="figures"),
    path("proxy/", proxy.workbench, name="proxy"),
    path("proxy/file/<str:code>/", proxy.file_case, name="file"),
    path("proxy/cases/<str:number>/", proxy.case_detail, name="case"),
]

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from huying.accounts.web import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("huying.accounts.web.urls")),
    # A section's bare address goes to the home page, which sends each role to its own work.
    *[
        path(f"{section}/", RedirectView.as_view(pattern_name="home"), name=f"{section}-root")
        for section in ("appeals", "applications", "ratings", "licences", "dispatch")
    ],
    path("appeals/", include("huying.appeals.web.urls")),
    path("dashboard/", include("huying.dashboards.urls")),
    path("dispatch/", include("huying.dispatch.web.urls")),
    path("services/", include("huying.catalogue.web.urls")),
    path("applications/", include("huying.applications.web.urls")),
    path("hall/", include("huying.halls.web.urls")),
    path("ratings/", include("huying.ratings.web.urls")),
    path("licences/", include("huying.licences.web.urls")),
    path("api/v1/dispatch/", include("huying.dispatch.api.urls")),
    path("api/v1/services/", include("huying.catalogue.api.urls")),
    path("api/v1/applications/", include("huying.applications.api.urls")),
    path("api/v1/hall/", include("huying.halls.api.urls")),
    path("api/v1/ratings/", include("huying.ratings.api.urls")),
    path("api/v1/licences/", include("huying.licences.api.urls")),
    path("api/v1/", include("huying.appeals.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

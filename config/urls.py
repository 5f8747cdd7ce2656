"""The site's addresses. Each feature app's pages and API are mounted only while the app is installed,
so any of them can be left out of INSTALLED_APPS; the menus follow (core.registry.navigation)."""

from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static as static_url
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from huying.accounts.api import ApiNotFoundView
from huying.accounts.web import views as account_views
from huying.core import health, metrics

# (app, prefix, URLconf): pages, then the REST API under /api/v1/.
PAGES = [
    ("huying.appeals", "appeals/", "huying.appeals.web.urls"),
    ("huying.dashboards", "dashboard/", "huying.dashboards.urls"),
    ("huying.dispatch", "dispatch/", "huying.dispatch.web.urls"),
    ("huying.catalogue", "services/", "huying.catalogue.web.urls"),
    ("huying.applications", "applications/", "huying.applications.web.urls"),
    ("huying.halls", "hall/", "huying.halls.web.urls"),
    ("huying.ratings", "ratings/", "huying.ratings.web.urls"),
    ("huying.licences", "licences/", "huying.licences.web.urls"),
    ("huying.grids", "grids/", "huying.grids.web.urls"),
    ("huying.points", "points/", "huying.points.web.urls"),
    ("huying.volunteers", "volunteers/", "huying.volunteers.web.urls"),
    ("huying.community", "community/", "huying.community.web.urls"),
    ("huying.deputies", "deputies/", "huying.deputies.web.urls"),
    ("huying.opendays", "opendays/", "huying.opendays.web.urls"),
    ("huying.servicepoints", "points-of-service/", "huying.servicepoints.web.urls"),
    ("huying.canteens", "canteens/", "huying.canteens.web.urls"),
    ("huying.open311", "open311/", "huying.open311.web.urls"),
]
API = [
    ("huying.dispatch", "dispatch/", "huying.dispatch.api.urls"),
    ("huying.catalogue", "services/", "huying.catalogue.api.urls"),
    ("huying.applications", "applications/", "huying.applications.api.urls"),
    ("huying.halls", "hall/", "huying.halls.api.urls"),
    ("huying.ratings", "ratings/", "huying.ratings.api.urls"),
    ("huying.licences", "licences/", "huying.licences.api.urls"),
    ("huying.points", "points/", "huying.points.api.urls"),
    ("huying.volunteers", "volunteers/", "huying.volunteers.api.urls"),
    ("huying.community", "community/", "huying.community.api.urls"),
    ("huying.deputies", "deputies/", "huying.deputies.api.urls"),
    ("huying.opendays", "opendays/", "huying.opendays.api.urls"),
    ("huying.servicepoints", "points-of-service/", "huying.servicepoints.api.urls"),
    ("huying.canteens", "canteens/", "huying.canteens.api.urls"),
    ("huying.appeals", "", "huying.appeals.api.urls"),  # namespace "api": /api/v1/appeals/, /api/v1/categories/...
]
# A section's bare address goes to the home page, which sends each role to its own work.
SECTION_ROOTS = ["appeals", "applications", "ratings", "licences", "dispatch"]

admin.site.site_header = admin.site.site_title = _("呼应 · 系统管理")
admin.site.index_title = _("管理后台")
# The task queue's own rows (English, raw) are the operators' concern, not the administrators'.
if apps.is_installed("django_tasks.backends.database"):
    from django_tasks.backends.database.models import DBTaskResult

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", account_views.home, name="home"),
    path("accounts/", include("huying.accounts.web.urls")),
    *[
        path(f"{section}/", RedirectView.as_view(pattern_name="home"), name=f"{section}-root")
        for section in SECTION_ROOTS
        if apps.is_installed(f"huying.{section}")
    ],
    *[path(prefix, include(urlconf)) for app, prefix, urlconf in PAGES if apps.is_installed(app)],
    path("api/v1/auth/", include("huying.accounts.api_urls")),
    *[path(f"api/v1/{prefix}", include(urlconf)) for app, prefix, urlconf in API if apps.is_installed(app)],
    # Any other address under /api/v1/ answers problem+json 404, not Django's HTML page.
    re_path(r"^api/v1/", ApiNotFoundView.as_view(), name="api-not-found"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Browsers and bookmarks ask for /favicon.ico whatever the page says.
    # For the balancer, the service manager and Prometheus (docs/deploy.md); nginx does not pass /metrics on.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("favicon.ico", lambda request: redirect(static_url("img/favicon.svg"), permanent=True), name="favicon"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "huying.core.middleware.server_error"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "huying.appeals"
    verbose_name = _("诉求工单")

    def ready(self) -> None:
        from huying.core.registry import dashboard_providers

        from .selectors import appeal_dashboard_provider

        dashboard_providers.register("appeals", appeal_dashboard_provider)

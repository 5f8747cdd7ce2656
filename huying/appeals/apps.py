from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "huying.appeals"
    verbose_name = _("诉求工单")

    def ready(self) -> None:
        from huying.core.registry import dashboard_providers, rating_acts, sweeps

        from . import ratings, services
        from .selectors import appeal_dashboard_provider

        dashboard_providers.register("appeals", appeal_dashboard_provider)
        rating_acts.register(ratings.KIND, ratings.rated_act)
        sweeps.register("appeals", lambda: f"工单超期巡检：标记/升级 {services.appeals_sweep_overdue()} 件。")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "huying.ratings"
    verbose_name = _("好差评")

    def ready(self) -> None:
        from huying.core.registry import sweeps

        from .services import ratings_sweep_overdue

        sweeps.register("ratings", lambda: f"差评整改超期巡检：标记 {ratings_sweep_overdue()} 件。")

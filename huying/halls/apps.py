from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallsConfig(AppConfig):
    name = "huying.halls"
    verbose_name = _("政务大厅")

    def ready(self) -> None:
        from huying.core.registry import rating_acts

        from .selectors import window_visit_act

        # 好差评 of a window visit: huying.ratings resolves /ratings/rate/?kind=window_visit&ref=<public id>.
        rating_acts.register("window_visit", window_visit_act)

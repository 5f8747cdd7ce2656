from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "huying.applications"
    verbose_name = _("办件")

    def ready(self) -> None:
        from huying.core.registry import licence_hooks, rating_acts, sweeps

        from . import selectors, services

        # A licence verified at a window for an application marks the matching material (免提交).
        licence_hooks.register("verified", services.on_licence_verified)
        # 好差评 of an issued application: /ratings/rate/?kind=application&ref=<number>.
        rating_acts.register("application", selectors.application_act)
        sweeps.register("applications", lambda: services.applications_sweep())

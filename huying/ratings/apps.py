from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "huying.ratings"
    verbose_name = _("好差评")

    def ready(self) -> None:
        from huying.core.registry import sweeps

        from .services import ratings_sweep_overdue

        sweeps.register("ratings", lambda: f"差评整改超期巡检：标记 {ratings_sweep_overdue()} 件。")
        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import EVERYONE, FOOTER_MENU, MenuEntry, navigation

    rectifiers = (Role.HANDLER, Role.CLERK, Role.REVIEWER, Role.HALL_MANAGER, Role.SUPERVISOR)
    navigation.add_menu(
        app,
        MenuEntry("ratings:cases", _("差评整改"), rectifiers, order=500),
        MenuEntry("ratings:complaints", _("申诉复核"), (Role.SUPERVISOR,), order=510),
        MenuEntry("ratings:figures", _("好差评公开"), (EVERYONE,), order=30, menu=FOOTER_MENU),
    )

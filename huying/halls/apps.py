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
        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import HomeRoute, MenuEntry, navigation

    navigation.add_menu(
        app,
        MenuEntry("halls:windows", _("叫号"), (Role.CLERK,), order=310),
        MenuEntry("halls:index", _("政务大厅"), (Role.HALL_MANAGER,), order=360),
    )
    navigation.add_homes(app, HomeRoute(Role.HALL_MANAGER, "halls:index", rank=60))

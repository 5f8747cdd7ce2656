from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanteensConfig(AppConfig):
    name = "huying.canteens"
    verbose_name = _("助老食堂")

    def ready(self) -> None:
        from .services import purchases  # noqa: F401  (the retention guard on deletes)

        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import HomeRoute, MenuEntry, navigation

    navigation.add_menu(
        app,
        MenuEntry("canteens:home", _("助老食堂"), (Role.CANTEEN_STAFF, Role.CIVIL_AFFAIRS), order=875),
        MenuEntry("canteens:figures", _("助餐统计"), (Role.CIVIL_AFFAIRS,), order=880),
    )
    navigation.add_homes(
        app,
        HomeRoute(Role.CANTEEN_STAFF, "canteens:home", rank=86),
        HomeRoute(Role.CIVIL_AFFAIRS, "canteens:home", rank=87),
    )

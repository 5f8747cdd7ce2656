from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicepointsConfig(AppConfig):
    name = "huying.servicepoints"
    verbose_name = _("家门口服务")

    def ready(self) -> None:
        from huying.core.registry import service_points

        from .services import point_feed

        service_points.register("feed", point_feed)
        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import PUBLIC, HomeRoute, MenuEntry, navigation

    navigation.add_menu(
        app,
        # After 办事指南: the guide says what to bring, the map says where to go.
        MenuEntry("servicepoints:map", _("百事通地图"), (PUBLIC,), order=705),
        MenuEntry("servicepoints:proxy", _("村级代办"), (Role.VILLAGE_CLERK,), order=860),
        MenuEntry("servicepoints:manage", _("服务点"), (Role.VILLAGE_CLERK, Role.HALL_MANAGER), order=865),
        MenuEntry("servicepoints:figures", _("家门口服务统计"), (Role.HALL_MANAGER, Role.CIVIL_AFFAIRS), order=870),
    )
    navigation.add_homes(app, HomeRoute(Role.VILLAGE_CLERK, "servicepoints:proxy", rank=85))

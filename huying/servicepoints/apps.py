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
    from huying.core.registry import EVERYONE, FOOTER_MENU, PUBLIC, HomeRoute, HomeTile, MenuEntry, navigation

    navigation.add_menu(
        app,
        MenuEntry("servicepoints:map", _("百事通地图"), (PUBLIC,), order=150),
        MenuEntry("servicepoints:proxy", _("村级代办"), (Role.VILLAGE_CLERK,), order=860),
        MenuEntry("servicepoints:manage", _("服务点"), (Role.VILLAGE_CLERK, Role.HALL_MANAGER, Role.ADMIN), order=865),
        MenuEntry(
            "servicepoints:figures",
            _("家门口服务统计"),
            (Role.HALL_MANAGER, Role.SUPERVISOR, Role.ADMIN, Role.CIVIL_AFFAIRS),
            order=870,
        ),
        MenuEntry("servicepoints:track", _("代办查询"), (EVERYONE,), order=40, menu=FOOTER_MENU),
    )
    navigation.add_homes(app, HomeRoute(Role.VILLAGE_CLERK, "servicepoints:proxy", rank=85))
    navigation.add_tiles(
        app,
        HomeTile(
            "tile-doorstep-map",
            "servicepoints:map",
            _("百事通地图"),
            _("找离您最近、能办这件事的服务点，看办事指南。"),
            (PUBLIC,),
            order=60,
        ),
    )

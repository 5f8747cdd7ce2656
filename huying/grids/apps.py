from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "huying.grids"
    verbose_name = _("网格化服务管理")

    def ready(self) -> None:
        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import HomeRoute, MenuEntry, navigation

    navigation.add_menu(
        app,
        MenuEntry("grids:worker_tasks", _("任务领取"), (Role.GRID_WORKER, Role.LIAISON), order=440),
        MenuEntry("grids:street_tasks", _("网格任务"), (Role.HANDLER, Role.SUPERVISOR), order=450),
        MenuEntry("grids:map", _("网格地图"), (Role.HANDLER, Role.SUPERVISOR, Role.GRID_WORKER), order=460),
        MenuEntry("grids:figures", _("网格数据"), (Role.HANDLER, Role.SUPERVISOR), order=470),
    )
    navigation.add_homes(
        app,
        HomeRoute(Role.GRID_WORKER, "grids:worker_tasks", rank=80),
        HomeRoute(Role.LIAISON, "grids:worker_tasks", rank=80),
    )

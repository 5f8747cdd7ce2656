from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "huying.grids"
    verbose_name = _("网格化服务管理")

    def ready(self) -> None:
        from huying.core.registry import appeal_roles, dashboard_panels

        from . import hooks
        from .figures import dashboard_panel

        appeal_roles.register("roles", hooks.appeal_roles_for)
        appeal_roles.register("visible_q", hooks.visible_appeals_q)
        dashboard_panels.register("grids", dashboard_panel)
        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import HomeRoute, MenuEntry, navigation

    # One entry for street and district staff: the task page links the map and the figures.
    navigation.add_menu(
        app,
        MenuEntry("grids:visits", _("走访"), (Role.GRID_WORKER, Role.LIAISON), order=890),
        MenuEntry("grids:report", _("随手拍"), (Role.GRID_WORKER, Role.LIAISON), order=895),
        MenuEntry("grids:cases", _("网格事件"), (Role.GRID_WORKER,), order=897),
        MenuEntry("grids:worker_tasks", _("任务领取"), (Role.GRID_WORKER, Role.LIAISON), order=900),
        MenuEntry("grids:map", _("网格地图"), (Role.GRID_WORKER,), order=910),
        MenuEntry("grids:street_tasks", _("网格管理"), (Role.HANDLER, Role.SUPERVISOR), order=920),
    )
    navigation.add_homes(
        app,
        # A grid worker starts the day with the households due for a visit.
        HomeRoute(Role.GRID_WORKER, "grids:visits", rank=80),
        HomeRoute(Role.LIAISON, "grids:visits", rank=80),
    )

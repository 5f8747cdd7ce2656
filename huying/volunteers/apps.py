from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "huying.volunteers"
    verbose_name = _("志愿服务")

    def ready(self) -> None:
        from huying.core.registry import dashboard_panels, sweeps

        from .selectors import dashboard_panel
        from .services import need_escalate_sweep
        from .services.extra import duty_reminders

        sweeps.register("volunteer_needs_escalate", need_escalate_sweep)
        sweeps.register("volunteer_duty_reminders", duty_reminders)
        dashboard_panels.register("volunteers", dashboard_panel)
        _navigation(self.name)


TILE_ORDER = 900  # after the citizen's own records (appeals, applications, licences)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import CITIZEN, HomeRoute, HomeTile, MenuEntry, navigation

    navigation.add_menu(
        app,
        MenuEntry("volunteers:home", _("志愿服务"), (CITIZEN,), order=830),
        MenuEntry("volunteers:activities", _("志愿服务"), (Role.VOLUNTEER_ORG,), order=700),
        MenuEntry("volunteers:hours", _("时长确认"), (Role.VOLUNTEER_ORG,), order=705),
        MenuEntry("volunteers:duty", _("学雷锋岗"), (Role.VOLUNTEER_ORG,), order=707),
    )
    navigation.add_homes(app, HomeRoute(Role.VOLUNTEER_ORG, "volunteers:activities", rank=85))
    navigation.add_tiles(
        app,
        HomeTile(
            "home-volunteers",
            "volunteers:home",
            _("志愿服务"),
            _("注册志愿者、发布和认领服务需求、扫码签到、开具服务证明。"),
            (CITIZEN,),
            order=70,
        ),
    )

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
        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import CITIZEN, HomeRoute, HomeTile, MenuEntry, navigation

    navigation.add_menu(
        app,
        MenuEntry("applications:accept", _("一窗受理"), (Role.CLERK,), order=300),
        MenuEntry("applications:issue", _("统一出件"), (Role.CLERK,), order=320),
        MenuEntry("applications:review", _("审批待办"), (Role.REVIEWER,), order=330),
        MenuEntry("applications:proxies", _("帮办代办"), (Role.AGENT,), order=340),
        MenuEntry("applications:projects", _("项目管家"), (Role.AGENT,), order=350),
        MenuEntry("applications:figures", _("办件统计"), (Role.HALL_MANAGER, Role.SUPERVISOR), order=370),
        MenuEntry("applications:mine", _("我的办件"), (CITIZEN,), order=810),
    )
    navigation.add_homes(
        app,
        HomeRoute(Role.CLERK, "applications:accept", rank=40),
        HomeRoute(Role.REVIEWER, "applications:review", rank=50),
        HomeRoute(Role.AGENT, "applications:projects", rank=70),
    )
    navigation.add_tiles(
        app,
        HomeTile(
            "home-applications", "applications:mine", _("我的办件"), _("查看办理进度、领取结果、评价"), (CITIZEN,), 60
        ),
    )

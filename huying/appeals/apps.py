from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "huying.appeals"
    verbose_name = _("诉求工单")

    def ready(self) -> None:
        from huying.core.registry import dashboard_providers, metric_gauges, rating_acts, sweeps

        from . import ratings, services
        from .selectors import appeal_dashboard_provider

        dashboard_providers.register("appeals", appeal_dashboard_provider)
        rating_acts.register(ratings.KIND, ratings.rated_act)
        sweeps.register("appeals", lambda: f"工单超期巡检：标记/升级 {services.appeals_sweep_overdue()} 件。")
        metric_gauges.register("huying_overdue_orders", _overdue_orders)
        _navigation(self.name)


def _overdue_orders() -> tuple[str, int]:
    from .models import Appeal
    from .states import OPEN_STATUSES

    count = Appeal.objects.filter(is_overdue=True, status__in=OPEN_STATUSES).count()
    return "Open appeals past their deadline (超期工单)", count


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import CITIZEN, EVERYONE, PUBLIC, HomeRoute, HomeTile, MenuEntry, navigation

    navigation.add_menu(
        app,
        MenuEntry("appeals:workbench", _("坐席工作台"), (Role.OPERATOR,), order=100),
        MenuEntry("appeals:inbox", _("待办工单"), (Role.HANDLER,), order=110),
        MenuEntry("appeals:board", _("督办看板"), (Role.SUPERVISOR, Role.OPERATOR), order=120),
        MenuEntry("appeals:new", _("我要反映"), (PUBLIC,), order=710),
        MenuEntry("appeals:track", _("查询进度"), (PUBLIC,), order=720),
        MenuEntry("appeals:mine", _("我的诉求"), (CITIZEN,), order=800),
    )
    navigation.add_homes(
        app,
        HomeRoute(Role.OPERATOR, "appeals:workbench", rank=10),
        HomeRoute(Role.HANDLER, "appeals:inbox", rank=20),
        HomeRoute(Role.SUPERVISOR, "appeals:board", rank=30),
    )
    navigation.add_tiles(
        app,
        HomeTile("home-new", "appeals:new", _("我要反映"), _("填写诉求，可上传照片"), (EVERYONE,), 10, primary=True),
        HomeTile("home-track", "appeals:track", _("查询进度"), _("凭工单编号和电话查询"), (EVERYONE,), 20),
        HomeTile("home-mine", "appeals:mine", _("我的诉求"), _("查看我提交过的诉求"), (CITIZEN,), 50),
    )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "huying.points"
    verbose_name = _("积分制管理")

    def ready(self) -> None:
        from huying.core.registry import dashboard_panels, point_claims, sweeps

        from .selectors import dashboard_panel
        from .services.claims import claim_hook
        from .services.periodic import points_sweep

        # Other loops hand over claims without importing this app: point_claims.call("submit", PointClaim(...)).
        point_claims.register("submit", claim_hook)
        sweeps.register("points", points_sweep)
        dashboard_panels.register("points", dashboard_panel)
        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import CITIZEN, EVERYONE, FOOTER_MENU, HomeRoute, HomeTile, MenuEntry, navigation

    navigation.add_menu(
        app,
        MenuEntry("points:mine", _("我的积分"), (CITIZEN,), order=830),
        MenuEntry("points:merchant", _("积分兑换收银"), (Role.MERCHANT,), order=770),
        MenuEntry("points:review", _("积分审核"), (Role.POINTS_REVIEWER,), order=780),
        MenuEntry("points:figures", _("积分数据"), (Role.POINTS_REVIEWER,), order=785),
        MenuEntry("points:manage", _("积分方案与商户"), (Role.POINTS_REVIEWER,), order=787),
        MenuEntry("points:board", _("积分张榜"), (EVERYONE,), order=40, menu=FOOTER_MENU),
    )
    navigation.add_homes(
        app,
        HomeRoute(Role.MERCHANT, "points:merchant", rank=95),
        HomeRoute(Role.POINTS_REVIEWER, "points:review", rank=90),
    )
    navigation.add_tiles(
        app,
        HomeTile(
            "home-points",
            "points:mine",
            _("我的积分"),
            _("随手拍、志愿服务等获得的积分，到合作商户扫码兑换。"),
            (CITIZEN,),
            order=80,
        ),
    )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "huying.deputies"
    verbose_name = _("人大代表与政协委员履职")

    def ready(self) -> None:
        from huying.core.registry import sweeps

        from .services.sweep import deputies_sweep

        def sweep() -> str:
            late, reminded = deputies_sweep()
            return f"人大建议超期标记 {late} 件；调解协议司法确认提醒 {reminded} 人。"

        sweeps.register("deputies", sweep)
        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import FOOTER_MENU, PUBLIC, HomeRoute, HomeTile, MenuEntry, navigation

    navigation.add_menu(
        app,
        # Residents reach drafts and stations from the footer and the home tiles; staff from the main menu.
        MenuEntry("deputies:drafts", _("立法征求意见"), (PUBLIC,), order=940, menu=FOOTER_MENU),
        MenuEntry("deputies:stations", _("代表联络站"), (PUBLIC,), order=945, menu=FOOTER_MENU),
        MenuEntry("deputies:drafts", _("立法征求意见"), (Role.LEGISLATIVE_STAFF, Role.CONTACT_POINT), order=940),
        MenuEntry("deputies:desk", _("代表履职"), (Role.DEPUTY,), order=950),
        MenuEntry("deputies:suggestions", _("建议提案办理"), (Role.LEGISLATIVE_STAFF, Role.HANDLER), order=955),
        MenuEntry("deputies:mediation", _("代表调解室"), (Role.MEDIATOR,), order=960),
        MenuEntry("deputies:filing", _("备案审查"), (Role.LEGISLATIVE_STAFF,), order=965),
        MenuEntry("deputies:figures", _("人大工作数据"), (Role.LEGISLATIVE_STAFF,), order=970),
    )
    navigation.add_homes(
        app,
        HomeRoute(Role.DEPUTY, "deputies:desk", rank=85),
        HomeRoute(Role.LEGISLATIVE_STAFF, "deputies:drafts", rank=85),
        HomeRoute(Role.CONTACT_POINT, "deputies:drafts", rank=86),
        HomeRoute(Role.MEDIATOR, "deputies:mediation", rank=86),
    )
    navigation.add_tiles(
        app,
        HomeTile(
            "tile-drafts",
            "deputies:drafts",
            _("立法意见征集"),
            _("对正在征求意见的法规草案逐条提出意见，查看采纳情况。"),
            (PUBLIC,),
            order=80,
        ),
        HomeTile(
            "tile-stations",
            "deputies:stations",
            _("预约见代表"),
            _("每月接待选民日，在手机上预约或到代表联络站现场反映。"),
            (PUBLIC,),
            order=81,
        ),
    )

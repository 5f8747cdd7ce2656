from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendaysConfig(AppConfig):
    name = "huying.opendays"
    verbose_name = _("政府开放日")

    def ready(self) -> None:
        from huying.core.registry import appeal_roles

        from . import hooks

        # grids (earlier in INSTALLED_APPS) fills these too: wrap what is there instead of replacing it.
        for key, chain in (("roles", hooks.chain_roles), ("visible_q", hooks.chain_visible)):
            try:
                previous = appeal_roles.get(key)
            except KeyError:
                previous = None
            appeal_roles.register(key, chain(previous))
        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import CITIZEN, FOOTER_MENU, PUBLIC, HomeRoute, MenuEntry, navigation

    navigation.add_menu(
        app,
        MenuEntry("opendays:manage", _("开放日"), (Role.OPEN_DAY_ORGANISER,), order=930),
        MenuEntry("opendays:events", _("政府开放日"), (PUBLIC,), order=940, menu=FOOTER_MENU),
        MenuEntry("opendays:mine", _("我的开放日"), (CITIZEN,), order=945, menu=FOOTER_MENU),
    )
    navigation.add_homes(app, HomeRoute(Role.OPEN_DAY_ORGANISER, "opendays:manage", rank=80))

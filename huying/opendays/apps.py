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
    from huying.core.registry import HomeRoute, MenuEntry, navigation

    # The public pages (/opendays/, /opendays/mine/) are linked from the events list and the
    # registration message, not from the shared menus.
    navigation.add_menu(
        app,
        MenuEntry("opendays:manage", _("开放日"), (Role.OPEN_DAY_ORGANISER,), order=930),
    )
    navigation.add_homes(app, HomeRoute(Role.OPEN_DAY_ORGANISER, "opendays:manage", rank=80))

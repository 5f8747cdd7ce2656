from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "huying.community"
    verbose_name = _("基层自治")

    def ready(self) -> None:
        from huying.core.registry import community_topics

        from . import hooks

        community_topics.register("raise", hooks.raise_topic)
        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import HomeRoute, MenuEntry, navigation

    navigation.add_menu(
        app,
        MenuEntry("community:home", _("基层自治"), (Role.COMMUNITY_STAFF,), order=940),
        MenuEntry("community:findings", _("党员问事"), (Role.LIAISON, Role.GRID_WORKER), order=905),
    )
    navigation.add_homes(app, HomeRoute(Role.COMMUNITY_STAFF, "community:home", rank=85))

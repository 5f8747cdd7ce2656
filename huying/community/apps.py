from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "huying.community"
    verbose_name = _("基层自治")

    def ready(self) -> None:
        from huying.core.registry import community_topics, sweeps

        from . import hooks

        community_topics.register("raise", hooks.raise_topic)
        sweeps.register("community_publication_duties", hooks.publication_duties_sweep)
        _navigation(self.name)


def _navigation(app: str) -> None:
    from django.apps import apps

    from huying.accounts.roles import Role
    from huying.core.registry import HomeRoute, MenuEntry, navigation

    entries = [
        MenuEntry("community:home", _("基层自治"), (Role.COMMUNITY_STAFF,), order=940),
    ]
    if apps.is_installed("huying.grids"):  # 党员问事 raises topics from the grid layer's visit records
        entries.append(MenuEntry("community:findings", _("党员问事"), (Role.LIAISON,), order=905))
    navigation.add_menu(app, *entries)
    navigation.add_homes(app, HomeRoute(Role.COMMUNITY_STAFF, "community:home", rank=85))

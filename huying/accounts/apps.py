from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "huying.accounts"
    verbose_name = _("用户与角色")

    def ready(self) -> None:
        from huying.core.registry import HomeRoute, navigation

        from .roles import Role

        # The administrator's home: the admin site and the import pages (a superuser counts as one).
        navigation.add_homes(self.name, HomeRoute(Role.ADMIN, "accounts:admin_home", rank=90))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The menu under the signed-in user's name in the page frame (context processor ``account_menu``).
ACCOUNT_MENU = "account"


class AccountsConfig(AppConfig):
    name = "huying.accounts"
    verbose_name = _("用户与角色")

    def ready(self) -> None:
        from huying.core.registry import CITIZEN, STAFF, HomeRoute, MenuEntry, navigation, sweeps

        from .roles import Role
        from .services import login_failures_sweep

        navigation.add_menu(self.name, MenuEntry("accounts:tokens", _("接口令牌"), (STAFF, CITIZEN), 900, ACCOUNT_MENU))
        sweeps.register("accounts", lambda: f"登录失败记录清理：{login_failures_sweep()} 条。")
        # The administrator's home: the admin site and the import pages (a superuser counts as one).
        navigation.add_homes(self.name, HomeRoute(Role.ADMIN, "accounts:admin_home", rank=90))
        # The auditor's work: who viewed whose personal data.
        navigation.add_menu(self.name, MenuEntry("accounts:access_log", _("个人信息查看记录"), (Role.AUDITOR,), 880))
        navigation.add_homes(self.name, HomeRoute(Role.AUDITOR, "accounts:access_log", rank=95))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "huying.dashboards"
    verbose_name = _("数据看板")

    def ready(self) -> None:
        from huying.core.registry import STAFF, MenuEntry, navigation

        navigation.add_menu(self.name, MenuEntry("dashboards:index", _("数据看板"), (STAFF,), order=200))

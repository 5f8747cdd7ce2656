from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "huying.grids"
    verbose_name = _("网格化服务管理")

    def ready(self) -> None:
        from huying.core.registry import appeal_roles

        from . import hooks

        appeal_roles.register("roles", hooks.appeal_roles_for)
        appeal_roles.register("visible_q", hooks.visible_appeals_q)

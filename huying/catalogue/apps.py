from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "huying.catalogue"
    label = "catalogue"
    verbose_name = _("政务服务事项")

    def ready(self) -> None:
        from huying.accounts.roles import Role
        from huying.core.registry import EVERYONE, FOOTER_MENU, PUBLIC, HomeTile, MenuEntry, navigation

        navigation.add_menu(
            self.name,
            MenuEntry("services:manage_import", _("事项导入"), (Role.ADMIN,), order=600),
            MenuEntry("services:items", _("办事指南"), (PUBLIC,), order=700),
            MenuEntry("services:items", _("办事指南"), (EVERYONE,), order=10, menu=FOOTER_MENU),
            MenuEntry("services:bundles", _("一件事"), (EVERYONE,), order=20, menu=FOOTER_MENU),
        )
        navigation.add_tiles(
            self.name,
            HomeTile(
                "home-guide",
                "services:items",
                _("办事指南"),
                _("查事项、材料、时限，可按拼音首字母搜索"),
                (EVERYONE,),
                30,
            ),
            HomeTile(
                "home-bundles",
                "services:bundles",
                _("一件事一次办"),
                _("开办企业、新生儿出生等，一张表、一套材料"),
                (EVERYONE,),
                40,
            ),
        )

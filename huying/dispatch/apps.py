from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "huying.dispatch"
    verbose_name = _("智能派单")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from huying.appeals.models import Category
        from huying.core.registry import appeal_hooks, sweeps

        from . import hooks, selectors, services

        post_save.connect(services.catalogue_changed, sender=Category, dispatch_uid="dispatch_catalogue_save")
        post_delete.connect(services.catalogue_changed, sender=Category, dispatch_uid="dispatch_catalogue_delete")
        appeal_hooks.register("prepare", hooks.prepare)
        appeal_hooks.register("suggest", hooks.suggest)
        appeal_hooks.register("submitted", hooks.submitted)
        appeal_hooks.register("check_reply", hooks.check_reply)
        appeal_hooks.register("dispatched", hooks.dispatched)
        appeal_hooks.register("similar", hooks.similar)
        appeal_hooks.register("board_sections", hooks.board_sections)
        sweeps.register("dispatch", lambda: f"相似工单索引：补入 {services.fingerprint_flush_all()} 件。")
        sweeps.register("dispatch_hot", lambda: f"热点问题：重新统计 {selectors.hot_issues_refresh()} 个时段。")
        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import MenuEntry, navigation

    navigation.add_menu(
        app,
        MenuEntry("dispatch:hot_issues", _("热点问题"), (Role.SUPERVISOR, Role.OPERATOR), order=130),
        MenuEntry("dispatch:key_problems", _("重点问题"), (Role.SUPERVISOR,), order=140),
        MenuEntry("dispatch:model", _("派单模型表现"), (Role.SUPERVISOR,), order=150),
    )

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def check_signing_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Production (HUYING_LICENCE_REQUIRE_KEY = True) must have a private QR signing key at start-up."""
    from . import keys

    if not keys.require_key() or keys.private_key_configured():
        return []
    return [
        checks.Error(
            "未找到电子证照二维码签名私钥，亮证二维码无法签发。",
            hint=keys.HOW_TO_CREATE + f" 当前密钥目录：{keys.key_dir()}",
            id="licences.E001",
        )
    ]


class LicencesConfig(AppConfig):
    name = "huying.licences"
    verbose_name = _("电子证照")

    def ready(self) -> None:
        from huying.core.registry import sweeps

        checks.register(check_signing_key, checks.Tags.security)
        sweeps.register("licences", _sweep)
        _navigation(self.name)


def _navigation(app: str) -> None:
    from huying.accounts.roles import Role
    from huying.core.registry import CITIZEN, HomeTile, MenuEntry, navigation

    verifiers = (Role.CLERK, Role.REVIEWER, Role.HALL_MANAGER, Role.ADMIN)
    navigation.add_menu(
        app,
        MenuEntry("licences:verify", _("扫码核验"), verifiers, order=400),
        MenuEntry("licences:import", _("证照导入"), (Role.ADMIN,), order=610),
        MenuEntry("licences:wallet", _("我的证照"), (CITIZEN,), order=820),
    )
    navigation.add_tiles(
        app, HomeTile("home-wallet", "licences:wallet", _("我的证照"), _("亮证扫码，免交纸质材料"), (CITIZEN,), 70)
    )


def _sweep() -> str:
    from . import services

    expired = services.licences_expire()
    purged = services.used_tokens_purge()
    return f"电子证照到期：标记过期 {expired} 份，清理防重放记录 {purged} 条。"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "huying.core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from .partitions import sweep_partitions
        from .registry import sweeps
        from .services import audit_log_sweep, audit_retention_days

        sweeps.register("partitions", sweep_partitions)
        sweeps.register(
            "audit_log",
            lambda: f"审计日志保留 {audit_retention_days()} 天：清理更早的 {audit_log_sweep()} 条。",
        )

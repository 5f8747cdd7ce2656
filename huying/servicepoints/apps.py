from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicepointsConfig(AppConfig):
    name = "huying.servicepoints"
    verbose_name = _("家门口服务")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "huying.services"
    verbose_name = _("政务服务事项")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "huying.deputies"
    verbose_name = _("人大代表与政协委员履职")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendaysConfig(AppConfig):
    name = "huying.opendays"
    verbose_name = _("政府开放日")

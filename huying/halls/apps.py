from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallsConfig(AppConfig):
    name = "huying.halls"
    verbose_name = _("政务大厅")

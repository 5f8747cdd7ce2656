from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "huying.catalogue"
    label = "catalogue"
    verbose_name = _("政务服务事项")

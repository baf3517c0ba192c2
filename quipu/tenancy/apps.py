from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "quipu.tenancy"
    verbose_name = _("Countries and institutions")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JitsConfig(AppConfig):
    name = "quipu.cooperation.jits"
    label = "jits"
    verbose_name = _("Joint investigation teams")

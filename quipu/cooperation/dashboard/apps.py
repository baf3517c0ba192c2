from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationDashboardConfig(AppConfig):
    name = "quipu.cooperation.dashboard"
    label = "cooperation_dashboard"
    verbose_name = _("Cooperation dashboard")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationRequestsConfig(AppConfig):
    name = "quipu.cooperation.requests"
    label = "cooperation_requests"
    verbose_name = _("Information requests")

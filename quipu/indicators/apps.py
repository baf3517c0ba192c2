from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "quipu.indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from quipu.indicators.defaults import defaults_load_after_migrate
        from quipu.web.navigation import NavEntry, nav_register

        post_migrate.connect(defaults_load_after_migrate, sender=self)
        nav_register(NavEntry(_("Indicators"), "indicators:framework", order=60))
        nav_register(NavEntry(_("Surveys"), "indicators:survey_list", order=61))

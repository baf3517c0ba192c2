from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "quipu.indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from quipu.indicators import kinds  # noqa: F401  registers the notification kinds
        from quipu.indicators.defaults import defaults_load_after_migrate
        from quipu.indicators.rounds import reminders_send
        from quipu.notifications.daily import daily_job_register
        from quipu.web.navigation import MEASUREMENT, NavEntry, nav_register

        post_migrate.connect(defaults_load_after_migrate, sender=self)
        nav_register(NavEntry(_("Indicators"), "indicators:framework", None, 60, MEASUREMENT))
        nav_register(NavEntry(_("Surveys"), "indicators:survey_list", None, 61, MEASUREMENT))
        nav_register(NavEntry(_("Survey rounds"), "indicators:round_list", None, 62, MEASUREMENT))
        daily_job_register("indicators_reminders", lambda: reminders_send())

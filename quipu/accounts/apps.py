from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "quipu.accounts"
    verbose_name = _("Sign-in and account security")

    def ready(self) -> None:
        from quipu.accounts import signals  # noqa: F401  connects the receivers
        from quipu.accounts.services import sign_in_records_prune
        from quipu.notifications.daily import daily_job_register
        from quipu.tenancy.roles import Capability
        from quipu.web.navigation import ADMINISTRATION, NavEntry, nav_register

        nav_register(
            NavEntry(
                _("API tokens"), "accounts:api_tokens", Capability.MANAGE_USERS, 85, ADMINISTRATION
            )
        )
        daily_job_register("accounts_prune", sign_in_records_prune)

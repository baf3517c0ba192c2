from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "quipu.cooperation.referrals"
    label = "referrals"
    verbose_name = _("Consular referrals")

    def ready(self):
        from quipu.audit.purposes import purpose_register
        from quipu.cooperation.receipts.events import receipt_event_register

        purpose_register("consular referral", _("Consular referral %(rest)s"))

        receipt_event_register("referral.sent", _("Referral sent"))
        receipt_event_register("referral.closed", _("Referral closed"))
        receipt_event_register("referral.withdrawn", _("Referral withdrawn"))
        from quipu.cooperation.dashboard.sections import section_register
        from quipu.cooperation.referrals import kinds  # noqa: F401  registers the kinds
        from quipu.cooperation.referrals.figures import REFERRALS_SECTION
        from quipu.notifications.daily import daily_job_register
        from quipu.tenancy.roles import Capability
        from quipu.web.navigation import COOPERATION, NavEntry, nav_register

        section_register(REFERRALS_SECTION)
        nav_register(
            NavEntry(
                _("Consular referrals"),
                "referrals:list",
                Capability.OPEN_REFERRALS,
                40,
                COOPERATION,
            )
        )
        nav_register(
            NavEntry(
                _("Incoming referrals"),
                "referrals:incoming",
                Capability.ANSWER_REFERRALS,
                41,
                COOPERATION,
            )
        )
        nav_register(
            NavEntry(
                _("Referral figures"),
                "referrals:figures",
                Capability.MANAGE_REGION,
                72,
                COOPERATION,
            )
        )
        daily_job_register("referrals_overdue_steps", _overdue_steps)


def _overdue_steps() -> int:
    from quipu.cooperation.referrals.steps import referral_steps_escalate

    return referral_steps_escalate()

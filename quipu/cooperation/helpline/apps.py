from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelplineConfig(AppConfig):
    name = "quipu.cooperation.helpline"
    label = "helpline"
    verbose_name = _("Helpline reports")

    def ready(self):
        from quipu.cooperation.dashboard.sections import section_register
        from quipu.cooperation.helpline import kinds  # noqa: F401  registers the notification kinds
        from quipu.cooperation.helpline.figures import HELPLINE_SECTION
        from quipu.tenancy.roles import Capability
        from quipu.web.navigation import CASES, NavEntry, nav_register

        section_register(HELPLINE_SECTION)
        nav_register(
            NavEntry(_("Helpline reports"), "helpline:mine", Capability.READ_CASES, 35, CASES)
        )
        nav_register(
            NavEntry(_("Helpline triage"), "helpline:inbox", Capability.TRIAGE_REPORTS, 36, CASES)
        )

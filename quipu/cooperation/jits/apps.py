from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JitsConfig(AppConfig):
    name = "quipu.cooperation.jits"
    label = "jits"
    verbose_name = _("Joint investigation teams")

    def ready(self):
        from quipu.audit.purposes import purpose_register
        from quipu.cooperation.jits import kinds  # noqa: F401  registers the kinds

        purpose_register("joint investigation team", _("Joint investigation team %(rest)s"))
        from quipu.notifications.daily import daily_job_register
        from quipu.tenancy.roles import Capability
        from quipu.web.navigation import COOPERATION, NavEntry, nav_register

        nav_register(
            NavEntry(
                _("Joint investigation teams"), "jits:list", Capability.WORK_IN_JIT, 45, COOPERATION
            )
        )
        daily_job_register("jits_tasks_due", _tasks_due)


def _tasks_due() -> int:
    from quipu.cooperation.jits.workspace import tasks_remind

    return tasks_remind()

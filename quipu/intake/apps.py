from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IntakeConfig(AppConfig):
    name = "quipu.intake"
    verbose_name = _("Intake: forms, imports and exports")

    def ready(self) -> None:
        from quipu.audit.purposes import purpose_register
        from quipu.intake.export_files import exports_expire
        from quipu.intake.services import imports_unconfirmed_expire
        from quipu.notifications.daily import daily_job_register
        from quipu.tenancy.roles import Capability
        from quipu.web.navigation import CASES, NavEntry, nav_register

        nav_register(
            NavEntry(_("Import"), "intake:import_start", Capability.WRITE_CASES, 20, CASES)
        )
        purpose_register("import", pgettext_lazy("audit purpose", "Import"))
        purpose_register("import undo", pgettext_lazy("audit purpose", "Import undone"))
        daily_job_register("exports_expire", exports_expire)
        daily_job_register("imports_unconfirmed_expire", imports_unconfirmed_expire)

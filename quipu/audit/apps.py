from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "quipu.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from quipu.audit import signals  # noqa: F401
        from quipu.audit.services import CHECKPOINT_KIND, audit_checkpoint_issue
        from quipu.notifications.daily import daily_job_register
        from quipu.notifications.kinds import kind_register

        kind_register(
            CHECKPOINT_KIND, _("A signed checkpoint of the audit log is ready: keep a copy")
        )
        daily_job_register("audit_checkpoint", lambda: int(audit_checkpoint_issue() is not None))

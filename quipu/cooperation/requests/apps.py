from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationRequestsConfig(AppConfig):
    name = "quipu.cooperation.requests"
    label = "cooperation_requests"
    verbose_name = _("Information requests")

    def ready(self):
        from quipu.cooperation.requests import kinds  # noqa: F401  registers the kinds
        from quipu.notifications.daily import daily_job_register
        from quipu.tenancy.roles import Capability
        from quipu.web.navigation import (
            COOPERATION,
            CaseAction,
            NavEntry,
            case_action_register,
            nav_register,
        )

        nav_register(
            NavEntry(
                _("Information requests"),
                "requests:inbox",
                Capability.OPEN_REQUESTS,
                38,
                COOPERATION,
            )
        )
        case_action_register(
            CaseAction(
                _("Request information from another country"),
                "requests:new",
                Capability.OPEN_REQUESTS,
            )
        )
        _receipt_events_register()
        daily_job_register("requests_due_dates", _due_dates)
        daily_job_register("requests_grants_expiring", _grants_expiring)


def _due_dates() -> int:
    from quipu.cooperation.requests.grants import requests_remind

    return requests_remind()


def _grants_expiring() -> int:
    from quipu.cooperation.requests.grants import grants_expiring_notify

    return grants_expiring_notify()


def _receipt_events_register() -> None:
    from quipu.cooperation.receipts.events import receipt_event_register
    from quipu.cooperation.requests.workflows import TRANSITIONS

    receipt_event_register("requests.sent", _("Request sent"))
    receipt_event_register("requests.received", _("Request received"))
    receipt_event_register("requests.disclosure", _("Granted fields read"))
    for action, transition in TRANSITIONS.items():
        receipt_event_register(f"requests.{action}", transition.label)

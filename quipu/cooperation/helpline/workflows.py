"""The triage state machine: which action leads from which state to which, and who may act.

new ─ lead ──> lead ─ case ──> case
 │               └─── close ─> closed
 ├─ case ──> case
 ├─ close ─> closed
 └─ route ─> new, in the other country's inbox (the sender keeps a stub in state routed)

Only focal points of the country holding the report triage it (Capability.TRIAGE_REPORTS).
"""

from django.utils.translation import gettext_lazy as _

from quipu.cooperation.helpline.models import HelplineReport, State
from quipu.errors import InvalidTransition
from quipu.tenancy.permissions import scoped
from quipu.tenancy.roles import Capability

LEAD, CASE, ROUTE, CLOSE = "lead", "case", "route", "close"
ACTION_LABELS = {
    LEAD: _("Assign as a lead to an institution"),
    CASE: _("Turn into a case"),
    ROUTE: _("Route to another country"),
    CLOSE: _("Close as not actionable"),
}
TRANSITIONS: dict[str, dict[str, str]] = {
    State.NEW: {LEAD: State.LEAD, CASE: State.CASE, ROUTE: State.NEW, CLOSE: State.CLOSED},
    State.LEAD: {CASE: State.CASE, CLOSE: State.CLOSED},
}
ACTIONS = tuple(ACTION_LABELS)


def target_state(report: HelplineReport, action: str) -> str:
    """The state `action` leads to from the report's state; InvalidTransition if none."""
    if report.is_stub or action not in TRANSITIONS.get(report.state, {}):
        raise InvalidTransition(code=f"{report.state}_{action}")
    return TRANSITIONS[report.state][action]


def may_triage(user, report: HelplineReport) -> bool:
    rows = HelplineReport.objects.filter(pk=report.pk)
    return scoped(user, rows, Capability.TRIAGE_REPORTS).exists()


def actions_open(user, report: HelplineReport) -> list[str]:
    """The actions `user` may take on `report` now (none for a stub or a settled report)."""
    if report.is_stub or not may_triage(user, report):
        return []
    return [action for action in ACTIONS if action in TRANSITIONS.get(report.state, {})]

"""The main menu: each capability registers its entries; the shell shows what a user may use."""

from dataclasses import dataclass

from django.urls import reverse

from quipu.tenancy.permissions import principal_for
from quipu.tenancy.roles import Capability


@dataclass(frozen=True)
class NavEntry:
    label: str  # a lazy translation
    url_name: str
    capability: Capability | None = None  # None: every signed-in user
    order: int = 50


_ENTRIES: list[NavEntry] = []


def nav_register(entry: NavEntry) -> None:
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)


def nav_entries_for(user) -> list[dict]:
    principal = principal_for(user)
    return [
        {"label": entry.label, "url": reverse(entry.url_name), "url_name": entry.url_name}
        for entry in sorted(_ENTRIES, key=lambda e: e.order)
        if entry.capability is None or principal.can(entry.capability)
    ]


@dataclass(frozen=True)
class CaseAction:
    """A link on a case's page into another capability, e.g. opening a request from the case."""

    label: str  # a lazy translation
    url_name: str
    capability: Capability
    case_param: str = "case"  # the query parameter that carries the case id


_CASE_ACTIONS: list[CaseAction] = []


def case_action_register(action: CaseAction) -> None:
    if action not in _CASE_ACTIONS:
        _CASE_ACTIONS.append(action)


def case_actions_for(user, case_id: int) -> list[dict]:
    """Links only to what the user may do; the case id is a record id, never personal data."""
    principal = principal_for(user)
    return [
        {"label": action.label, "url": f"{reverse(action.url_name)}?{action.case_param}={case_id}"}
        for action in _CASE_ACTIONS
        if principal.can(action.capability)
    ]

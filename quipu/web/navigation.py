"""The main menu: each capability registers its entries under a section; the shell shows what a
user may use, a section as one drop-down so the menu stays on one row."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quipu.tenancy.permissions import principal_for
from quipu.tenancy.roles import Capability


@dataclass(frozen=True)
class NavSection:
    key: str
    label: str  # a lazy translation
    order: int


CASES = NavSection("cases", _("Cases"), 10)
COOPERATION = NavSection("cooperation", _("Cooperation"), 30)
MEASUREMENT = NavSection("measurement", _("Indicators and progress"), 60)
ADMINISTRATION = NavSection("administration", _("Administration"), 80)


@dataclass(frozen=True)
class NavEntry:
    label: str  # a lazy translation
    url_name: str
    capability: Capability | None = None  # None: every signed-in user
    order: int = 50  # within its section
    section: NavSection | None = None  # None: on the menu bar itself


_ENTRIES: list[NavEntry] = []


def nav_register(entry: NavEntry) -> None:
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)


def nav_entries_for(user) -> list[NavEntry]:
    """The entries the user may use, in menu order."""
    principal = principal_for(user)
    return [
        entry
        for entry in sorted(_ENTRIES, key=lambda e: e.order)
        if entry.capability is None or principal.can(entry.capability)
    ]


def nav_menu_for(user, *, current: str | None = None) -> list[dict]:
    """The menu bar: links, and groups of links for sections. A section the user reaches by
    one entry only is that entry's link; `current` is the view name of the page shown, and
    the section holding an entry of the same URL namespace is marked as the current one."""

    area = current.split(":")[0] if current else None  # a case's page is in the cases area

    def link(entry: NavEntry) -> dict:
        return {
            "label": entry.label,
            "url": reverse(entry.url_name),
            "current": entry.url_name == current,
            "area": entry.url_name.split(":")[0] == area,
        }

    bar: list[tuple[int, dict]] = []
    by_section: dict[NavSection, list[dict]] = {}
    for entry in nav_entries_for(user):
        if entry.section is None:
            bar.append((entry.order, link(entry)))
        else:
            by_section.setdefault(entry.section, []).append(link(entry))
    marked = _section_of_page(by_section)
    for section, links in by_section.items():
        if len(links) == 1:
            bar.append((section.order, links[0]))
        else:
            item = {
                "label": section.label,
                "key": section.key,
                "entries": links,
                "current": section == marked,
            }
            bar.append((section.order, item))
    return [item for _order, item in sorted(bar, key=lambda pair: pair[0])]


def _section_of_page(by_section: dict) -> NavSection | None:
    """The section of the page's own entry, else the first whose entries share its namespace
    (a namespace may have entries in two sections, as linkage has)."""
    ordered = sorted(by_section.items(), key=lambda pair: pair[0].order)
    for wanted in ("current", "area"):
        for section, links in ordered:
            if any(one[wanted] for one in links):
                return section
    return None


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

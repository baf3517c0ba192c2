"""The home's to-do list: what waits on the user, each line a count and a link to where they act.

Each capability contributes providers in its own app's `todo.py` (a module-level
`TODO_PROVIDERS`, see quipu/notifications/todo.py); this registry finds them when first asked,
as `quipu demo` finds each app's `demo.py`, so the lower apps never import the web app. A
provider may also be registered here with `todo_register` (tests, or the web app's own).

The HTML contract (home.html), which tests and other pages rely on: the list is
`<ul class="todo">`, each item `<li data-todo="KIND">` holding one `<a>` to where the user
acts, the count in `<span class="count">`. The KINDs and where their link leads:

- `requests`: information requests to the user's country waiting for an answer (focal point);
  the received requests, state "sent" (requests:inbox?box=in&state=sent).
- `request-clarifications`: requests the user's side sent on which the other country asked a
  question; the sent requests, state "clarification asked".
- `referrals`: consular referrals of the country's nationals waiting to be accepted or declined
  (focal point); the incoming referrals, state "sent".
- `referral-steps`: open assistance steps of the user's side's open referrals due within a
  week or overdue; the referral when there is one, else the side's referral list.
- `notices`: match-notice sides waiting for the user's decision; the match-notice queue.
- `surveys`: survey answers assigned to the user's institution to fill (not started, draft or
  returned); the submission when there is one, else the survey rounds page.
- `survey-approvals`: submitted answers to approve (focal point) or approved answers to accept
  (secretariat); the submission, else its round's tracking page, else the survey rounds page.
- `jits`: open JIT tasks the user owns; the JIT when there is one, else the JIT list.
- `jit-invitations`: invitations of the user's institution to a JIT; the JIT list.
- `imports`, `imports-failed`: the user's imports of the last seven days that finished, and
  those that were rejected or failed; the imports page, which lists them.
- `reports`: new helpline reports of the country to triage (focal point); the triage inbox,
  state "new".
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quipu.notifications.todo import TodoItem
from quipu.tenancy.permissions import Principal, principal_for
from quipu.tenancy.roles import Capability

Provider = Callable[[object, Principal], Iterable[TodoItem]]

_PROVIDERS: list[Provider] = []
_discovered = False
_lock = threading.Lock()  # two first requests in two threads must not register twice


def todo_register(provider: Provider) -> None:
    with _lock:
        if provider not in _PROVIDERS:
            _PROVIDERS.append(provider)


def _discover() -> None:
    """Register every installed app's `todo.TODO_PROVIDERS`, once."""
    global _discovered
    if _discovered:
        return
    found: list[Provider] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("quipu.") or config.name == "quipu.notifications":
            continue  # quipu/notifications/todo.py declares the item type only
        name = f"{config.name}.todo"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        found.extend(getattr(module, "TODO_PROVIDERS", ()))
    for provider in found:
        todo_register(provider)
    _discovered = True


def todo_for(user) -> list[TodoItem]:
    """The lines of the user's to-do list that hold something, in their order."""
    _discover()
    principal = principal_for(user)
    items = [item for provider in _PROVIDERS for item in provider(user, principal)]
    return sorted((item for item in items if item.count > 0), key=lambda item: item.order)


@dataclass(frozen=True)
class EntryPoint:
    label: object  # a lazy translation
    url_name: str
    capability: Capability


# The main ways into each role's work, shown beside the to-do list (and in its empty state).
ENTRY_POINTS = (
    EntryPoint(_("New case"), "cases:new", Capability.WRITE_CASES),
    EntryPoint(_("Search cases"), "cases:list", Capability.READ_DEIDENTIFIED),
    EntryPoint(_("Import a file"), "intake:import_start", Capability.WRITE_CASES),
    EntryPoint(_("Match notices"), "linkage:notices", Capability.REVIEW_MATCHES),
    EntryPoint(_("New information request"), "requests:new", Capability.OPEN_REQUESTS),
    EntryPoint(_("Open a joint investigation team"), "jits:new", Capability.OPEN_JIT),
    EntryPoint(
        _("Register a victim found abroad"),
        "referrals:register",
        Capability.REGISTER_FOREIGN_VICTIMS,
    ),
    EntryPoint(_("New consular referral"), "referrals:new", Capability.OPEN_REFERRALS),
    EntryPoint(_("Survey rounds"), "indicators:round_list", Capability.MANAGE_REGION),
    EntryPoint(_("Progress"), "progress:overview", Capability.READ_AGGREGATES),
)


def entry_points_for(user) -> list[dict]:
    principal = principal_for(user)
    return [
        {"label": entry.label, "url": reverse(entry.url_name)}
        for entry in ENTRY_POINTS
        if principal.can(entry.capability)
    ]

"""What waits on a user: one line of the home's to-do list.

Each app that gives a user work declares, in its own `todo.py`, `TODO_PROVIDERS`: functions
`(user, principal) -> iterable of TodoItem`. quipu/web/todo.py collects them. The item type
lives here, beside notifications (both tell a user that something needs them), so that the
apps providing items never import the web app that sits above them.

A provider starts from its app's scoped selectors (the permission layer), checks the
capability before any query, and spends one aggregate query: the home stays cheap.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class TodoItem:
    kind: str  # the `data-todo` of the home's list item; see quipu/web/todo.py
    label: object  # a lazy translation: what the count counts
    count: int
    url: str  # where the user acts: a list filtered to these items, or the one record
    order: int = 50
    due_on: datetime.date | None = None  # the earliest due date among the items
    overdue: int = 0  # how many are past their due date
    since: datetime.datetime | None = None  # the oldest item's arrival, where there is no due date

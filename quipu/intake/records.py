"""The interchange shape between file formats and the database.

A format reads one source row into a `CaseRecord` (plain values keyed by model field names,
validated, with codes from the vocabularies) or reports `RowError`s; the writer stores
records; exporters read cases back into the same shape. Nothing here touches the database.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RowError:
    """One problem with one field of one row. `message` is a lazy translation, never a value."""

    row: int  # 1-based line or sheet row as the user sees it in the file
    column: str  # the file's column name
    message: Any  # gettext_lazy string with %(name)s placeholders, never a cell's value
    params: dict | None = None  # numbers and codes for the placeholders


@dataclass
class PersonRecord:
    person: dict[str, Any] = field(default_factory=dict)  # Person fields (citizenship_id...)
    victim: dict[str, Any] | None = None  # Victim fields when the person is a victim
    perpetrator: dict[str, Any] | None = None  # Perpetrator fields when a perpetrator
    identifiers: list[dict[str, Any]] = field(default_factory=list)
    route_events: list[dict[str, Any]] = field(default_factory=list)  # RouteEvent fields
    consent: dict[str, Any] | None = None


@dataclass
class CaseRecord:
    row: int
    source_key: str
    case: dict[str, Any] = field(default_factory=dict)  # Case fields except owner and keys
    people: list[PersonRecord] = field(default_factory=list)
    prosecution_steps: list[dict[str, Any]] = field(default_factory=list)
    # A hash of the source row, when the record came from a file: cheaper than hashing the
    # record, and equal exactly when the row is.
    fingerprint: str = ""

    @property
    def victims(self) -> list[PersonRecord]:
        return [p for p in self.people if p.victim is not None]

"""Quasi-identifiers of cases exported without their personal fields, made coarse.

An exact recruitment date and city, with the victim's age, sex and citizenship, can single a
person out even with no name in the file. So a case written without personal fields (rule 7
decides which, per case; this module only takes that decision) keeps dates as month and year
and places as the first-level region (state, province or department), as CTDC's public file
keeps only coarse values.
"""

import datetime
from collections.abc import Collection, Iterable, Iterator
from dataclasses import replace
from typing import NamedTuple

from quipu.intake.records import CaseRecord, PersonRecord

CASE_DATES = ("registered_on", "incoming_referral_date", "outgoing_referral_date")
EXACT_PLACE = ("city", "street", "postal_code", "latitude", "longitude")


class YearMonth(NamedTuple):
    """A date cut to its month; written as YYYY-MM wherever a date's `isoformat()` is."""

    year: int
    month: int

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def _month(value):
    return YearMonth(value.year, value.month) if isinstance(value, datetime.date) else value


def _months(row: dict, names: Iterable[str]) -> dict:
    return {**row, **{name: _month(row[name]) for name in names if name in row}}


def _route_event(event: dict) -> dict:
    coarse = {k: v for k, v in event.items() if k not in EXACT_PLACE}
    return _months(coarse, ["date"])


def _person(person: PersonRecord) -> PersonRecord:
    return replace(
        person,
        route_events=[_route_event(e) for e in person.route_events],
        consent=_months(person.consent, ["given_on"]) if person.consent else None,
    )


def record_generalised(record: CaseRecord) -> CaseRecord:
    """`record` with every date cut to month and year, and places to the first-level region."""
    return replace(
        record,
        case=_months(record.case, CASE_DATES),
        people=[_person(p) for p in record.people],
        prosecution_steps=[_months(s, ["date"]) for s in record.prosecution_steps],
    )


def records_generalised(
    records: Iterable[CaseRecord], *, personal_ids: Collection[int]
) -> Iterator[CaseRecord]:
    """Each record as is if its case was read with personal fields, else generalised."""
    for record in records:
        yield record if record.row in personal_ids else record_generalised(record)

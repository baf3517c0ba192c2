"""Reading stored cases back into CaseRecords, in batches, for every exporter.

Plain `values()` rows rather than model instances: an export of 100,000 cases reads about
400,000 rows, and building model objects for them costs more than the queries.
"""

from collections import defaultdict
from collections.abc import Collection, Iterator

from django.db.models import QuerySet

from quipu.cases.models import (
    Case,
    Consent,
    Identifier,
    Perpetrator,
    Person,
    ProsecutionStep,
    RouteEvent,
    Victim,
)
from quipu.cases.personal import personal_fields
from quipu.intake.records import CaseRecord, PersonRecord

BATCH = 2000
INTERNAL = {
    "id",
    "owner_id",
    "case_id",
    "person_id",
    "victim_id",
    "created_at",
    "updated_at",
    "source_key",
    "source_hash",
    "created_by_id",
}


def _columns(model, *, personal: bool) -> list[str]:
    """The attnames an export may read: internal keys and, unless allowed, personal fields out."""
    hidden = set() if personal else personal_fields(model)
    return [f.attname for f in model._meta.concrete_fields if f.name not in hidden]


def _rows(model, *, personal: bool, **lookup) -> list[dict]:
    return list(
        model.objects.filter(**lookup).order_by("id").values(*_columns(model, personal=personal))
    )


def _public(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in INTERNAL}


def _grouped(rows: list[dict], key: str) -> dict[int, list[dict]]:
    groups: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def case_records(
    cases: QuerySet[Case], *, personal_ids: Collection[int] = ()
) -> Iterator[CaseRecord]:
    """Every case of `cases` (by id) as a CaseRecord, `BATCH` cases per round of queries. Only
    the cases in `personal_ids` carry their personal fields and identifiers (rule 7: decided
    per case by the caller); the others are never read with them."""
    ids = list(cases.order_by("id").values_list("id", flat=True))
    personal_ids = set(personal_ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        records = {
            record.row: record
            for personal in (True, False)
            for record in _batch([i for i in batch if (i in personal_ids) is personal], personal)
        }
        yield from (records[case_id] for case_id in batch)


def _batch(case_ids: list[int], personal: bool) -> Iterator[CaseRecord]:
    if not case_ids:
        return
    cases = _rows(Case, personal=personal, id__in=case_ids)
    victims = _rows(Victim, personal=personal, case_id__in=case_ids)
    perpetrators = _rows(Perpetrator, personal=personal, case_id__in=case_ids)
    person_ids = [r["person_id"] for r in victims + perpetrators]
    persons = {r["id"]: r for r in _rows(Person, personal=personal, id__in=person_ids)}
    events = _grouped(
        _rows(RouteEvent, personal=personal, victim__case_id__in=case_ids), "victim_id"
    )
    consents = {
        r["victim_id"]: r for r in _rows(Consent, personal=personal, victim__case_id__in=case_ids)
    }
    identifiers = (
        _grouped(_rows(Identifier, personal=personal, person_id__in=person_ids), "person_id")
        if personal
        else {}
    )
    steps = _grouped(_rows(ProsecutionStep, personal=personal, case_id__in=case_ids), "case_id")
    victims_of, perpetrators_of = _grouped(victims, "case_id"), _grouped(perpetrators, "case_id")
    for case in cases:
        people = [
            PersonRecord(
                person=_public(persons[v["person_id"]]),
                victim=_public(v),
                identifiers=[_public(i) for i in identifiers.get(v["person_id"], [])],
                route_events=[_public(e) for e in events.get(v["id"], [])],
                consent=_public(consents[v["id"]]) if v["id"] in consents else None,
            )
            for v in victims_of.get(case["id"], [])
        ] + [
            PersonRecord(person=_public(persons[p["person_id"]]), perpetrator=_public(p))
            for p in perpetrators_of.get(case["id"], [])
        ]
        yield CaseRecord(
            row=case["id"],
            source_key=case["source_key"],
            case=_public(case),
            people=people,
            prosecution_steps=[_public(s) for s in steps.get(case["id"], [])],
        )

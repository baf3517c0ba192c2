"""Storing CaseRecords: batched, idempotent by (owner, source_key), in the caller's transaction."""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import connection

from quipu.cases.fields import CodeSet
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
from quipu.cases.search_index import search_texts_insert
from quipu.intake.bulk import bulk_insert
from quipu.intake.records import CaseRecord
from quipu.tenancy.models import Institution

BATCH = 5000


@dataclass
class WriteSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Ids of the cases created (not those replaced), as [first, last] ranges: an import's
    # undo removes exactly these. Ids come in runs, so a whole file needs a few ranges.
    created_ranges: list[list[int]] = field(default_factory=list)

    def add(self, other: "WriteSummary") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        for first, last in other.created_ranges:
            if self.created_ranges and self.created_ranges[-1][1] + 1 == first:
                self.created_ranges[-1][1] = last
            else:
                self.created_ranges.append([first, last])


def ids_ranges_extend(ranges: list[list[int]], ids) -> None:
    """Add `ids` to `ranges`, merging each id that follows the last range into it."""
    for pk in ids:
        if ranges and ranges[-1][1] + 1 == pk:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])


def record_hash(record: CaseRecord) -> str:
    """A fingerprint of everything a record would store, to skip rows imported before."""
    payload = [
        record.source_key,
        record.case,
        [
            [p.person, p.victim, p.perpetrator, p.identifiers, p.route_events, p.consent]
            for p in record.people
        ],
        record.prosecution_steps,
    ]
    text = json.dumps(payload, sort_keys=True, default=_plain, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value):
    if isinstance(value, CodeSet):
        return value.dump()
    return str(value)


def records_write(*, owner: Institution, records: list[CaseRecord], actor=None) -> WriteSummary:
    """Write one batch. Unchanged rows are skipped; changed rows are replaced whole."""
    hashes = {r.source_key: r.fingerprint or record_hash(r) for r in records}
    existing = _stored_hashes(owner, list(hashes))
    changed = [key for key, old in existing.items() if old != hashes[key]]
    _cases_delete(owner, changed)
    fresh = [r for r in records if r.source_key not in existing or r.source_key in changed]
    case_ids = _records_insert(owner, fresh, hashes, actor)
    summary = WriteSummary(
        created=len(fresh) - len(changed), updated=len(changed), unchanged=len(records) - len(fresh)
    )
    ids_ranges_extend(
        summary.created_ranges,
        (pk for pk, r in zip(case_ids, fresh, strict=True) if r.source_key not in existing),
    )
    return summary


def records_write_new(
    *, owner: Institution, records: list[CaseRecord], actor=None, pending: str
) -> tuple[WriteSummary, list[CaseRecord], dict[str, str]]:
    """Write only the records stored under no key before, with `pending` in place of their
    hash until the import ends (staged.py); return the summary, the changed records held back
    for the last step, and the created records' real hashes by source key."""
    hashes = {r.source_key: r.fingerprint or record_hash(r) for r in records}
    existing = _stored_hashes(owner, list(hashes))
    fresh = [r for r in records if r.source_key not in existing]
    changed = [
        r
        for r in records
        if existing.get(r.source_key, hashes[r.source_key]) != hashes[r.source_key]
    ]
    case_ids = _records_insert(owner, fresh, dict.fromkeys(hashes, pending), actor)
    summary = WriteSummary(created=len(fresh), unchanged=len(records) - len(fresh) - len(changed))
    ids_ranges_extend(summary.created_ranges, case_ids)
    return summary, changed, {r.source_key: hashes[r.source_key] for r in fresh}


def pending_hashes_settle(owner: Institution, hashes: dict[str, str], pending: str) -> None:
    """Give the cases an import wrote in steps their real hashes: they are then its own."""
    table = Case._meta.db_table
    sql = (
        f'UPDATE "{table}" SET source_hash = %s'  # noqa: S608
        " WHERE owner_id = %s AND source_key = %s AND source_hash = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(h, owner.pk, key, pending) for key, h in hashes.items()])


def cases_with_people_delete(cases) -> None:
    """Delete these cases (a queryset) and the people who belonged only to them."""
    person_ids = set(Victim.objects.filter(case__in=cases).values_list("person_id", flat=True))
    person_ids |= set(
        Perpetrator.objects.filter(case__in=cases).values_list("person_id", flat=True)
    )
    cases.delete()
    Person.objects.filter(
        pk__in=person_ids, victim_contexts=None, perpetrator_contexts=None
    ).delete()


def _stored_hashes(owner: Institution, source_keys: list[str]) -> dict[str, str]:
    """source_key -> source_hash of the owner's cases already stored under these keys.

    Raw SQL: building the ORM's IN lookup for 5,000 keys took longer than running it.
    """
    table = Case._meta.db_table
    stored: dict[str, str] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(source_keys), BATCH):
            keys = source_keys[start : start + BATCH]
            if connection.vendor == "postgresql":
                # One probe of the (owner, source_key) index per key. With an IN list the
                # planner may scan all of the owner's cases instead, once per batch: a large
                # import runs in one transaction, so its statistics say the table is small.
                sql = (
                    "SELECT c.source_key, c.source_hash FROM unnest(%s::text[]) AS k(key)"  # noqa: S608
                    f' CROSS JOIN LATERAL (SELECT source_key, source_hash FROM "{table}"'
                    " WHERE owner_id = %s AND source_key = k.key OFFSET 0) AS c"
                )
                cursor.execute(sql, [keys, owner.pk])
            else:
                marks = ", ".join(["%s"] * len(keys))
                sql = (
                    f'SELECT source_key, source_hash FROM "{table}"'  # noqa: S608
                    f" WHERE owner_id = %s AND source_key IN ({marks})"
                )
                cursor.execute(sql, [owner.pk, *keys])
            stored.update(cursor.fetchall())
    return stored


def _cases_delete(owner: Institution, source_keys: list[str]) -> None:
    if not source_keys:
        return
    # People who belonged only to the replaced cases go with them.
    cases_with_people_delete(Case.objects.filter(owner=owner, source_key__in=source_keys))


def _records_insert(owner: Institution, records: list[CaseRecord], hashes, actor) -> list[int]:
    """Insert the records; returns their new case ids, in order."""
    # Keys that every row of a table shares, or that come from its parent rows, are handed to
    # bulk_insert beside the parsed dicts rather than merged into a copy of each of them.
    actor_id = actor.pk if actor is not None else None
    inserted: list[int] = []
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        source_keys = [r.source_key for r in batch]
        references = [
            r.case.get("reference") or key[:40] for r, key in zip(batch, source_keys, strict=True)
        ]
        case_ids = bulk_insert(
            Case,
            [r.case for r in batch],
            same={"owner_id": owner.pk, "created_by_id": actor_id},
            each={
                "source_key": source_keys,
                "source_hash": [hashes[key] for key in source_keys],
                "reference": references,
            },
        )
        people, people_cases = [], []
        for case_id, r in zip(case_ids, batch, strict=True):
            people += r.people
            people_cases += [case_id] * len(r.people)
        person_ids = bulk_insert(Person, [p.person for p in people], same={"owner_id": owner.pk})
        _parts_insert(people, people_cases, person_ids)
        # The search index, from the values in hand (nothing is read back).
        search_texts_insert(
            (case_id, reference, [(p.person, p.identifiers, p.route_events) for p in r.people])
            for case_id, reference, r in zip(case_ids, references, batch, strict=True)
        )
        steps, step_cases = [], []
        for case_id, r in zip(case_ids, batch, strict=True):
            steps += r.prosecution_steps
            step_cases += [case_id] * len(r.prosecution_steps)
        bulk_insert(ProsecutionStep, steps, each={"case_id": step_cases})
        inserted += case_ids
    return inserted


def _parts_insert(people: list, people_cases: list[int], person_ids: list[int]) -> None:
    """Each person's victim or perpetrator context, identifiers, route and consent."""
    victims, victim_cases, victim_people = [], [], []
    perpetrators, perpetrator_cases, perpetrator_people = [], [], []
    identifiers, identifier_people = [], []
    for part, case_id, person_id in zip(people, people_cases, person_ids, strict=True):
        if part.identifiers:
            identifiers += part.identifiers
            identifier_people += [person_id] * len(part.identifiers)
        if part.perpetrator is not None:
            perpetrators.append(part.perpetrator)
            perpetrator_cases.append(case_id)
            perpetrator_people.append(person_id)
        if part.victim is not None:
            victims.append(part)
            victim_cases.append(case_id)
            victim_people.append(person_id)
    victim_ids = bulk_insert(
        Victim,
        [part.victim for part in victims],
        each={"case_id": victim_cases, "person_id": victim_people},
    )
    bulk_insert(
        Perpetrator,
        perpetrators,
        each={"case_id": perpetrator_cases, "person_id": perpetrator_people},
    )
    bulk_insert(Identifier, identifiers, each={"person_id": identifier_people})
    route, route_victims, consents, consent_victims = [], [], [], []
    for victim_id, part in zip(victim_ids, victims, strict=True):
        if part.route_events:
            route += part.route_events
            route_victims += [victim_id] * len(part.route_events)
        if part.consent:
            consents.append(part.consent)
            consent_victims.append(victim_id)
    bulk_insert(RouteEvent, route, each={"victim_id": route_victims})
    bulk_insert(Consent, consents, each={"victim_id": consent_victims})

"""Storing CaseRecords: batched, idempotent by (owner, source_key), in the caller's transaction."""

import hashlib
import json
from dataclasses import dataclass

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
from quipu.intake.bulk import bulk_insert
from quipu.intake.records import CaseRecord
from quipu.tenancy.models import Institution

BATCH = 5000


@dataclass
class WriteSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: "WriteSummary") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


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
    existing = dict(
        Case.objects.filter(owner=owner, source_key__in=hashes).values_list(
            "source_key", "source_hash"
        )
    )
    changed = [key for key, old in existing.items() if old != hashes[key]]
    _cases_delete(owner, changed)
    fresh = [r for r in records if r.source_key not in existing or r.source_key in changed]
    _records_insert(owner, fresh, hashes, actor)
    return WriteSummary(
        created=len(fresh) - len(changed), updated=len(changed), unchanged=len(records) - len(fresh)
    )


def _cases_delete(owner: Institution, source_keys: list[str]) -> None:
    if not source_keys:
        return
    cases = Case.objects.filter(owner=owner, source_key__in=source_keys)
    person_ids = set(Victim.objects.filter(case__in=cases).values_list("person_id", flat=True))
    person_ids |= set(
        Perpetrator.objects.filter(case__in=cases).values_list("person_id", flat=True)
    )
    cases.delete()
    # People who belonged only to the replaced cases go with them.
    Person.objects.filter(
        pk__in=person_ids, victim_contexts=None, perpetrator_contexts=None
    ).delete()


def _records_insert(owner: Institution, records: list[CaseRecord], hashes, actor) -> None:
    actor_id = actor.pk if actor is not None else None
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        case_ids = bulk_insert(
            Case,
            [
                {
                    **r.case,
                    "owner_id": owner.pk,
                    "source_key": r.source_key,
                    "source_hash": hashes[r.source_key],
                    "reference": r.case.get("reference") or r.source_key[:40],
                    "created_by_id": actor_id,
                }
                for r in batch
            ],
        )
        people = [
            (case_id, p) for case_id, r in zip(case_ids, batch, strict=True) for p in r.people
        ]
        person_ids = bulk_insert(Person, [{**p.person, "owner_id": owner.pk} for _, p in people])
        victims, perpetrators, identifiers, victim_parts = [], [], [], []
        for (case_id, part), person_id in zip(people, person_ids, strict=True):
            identifiers += [{**i, "person_id": person_id} for i in part.identifiers]
            if part.perpetrator is not None:
                perpetrators.append(
                    {**part.perpetrator, "case_id": case_id, "person_id": person_id}
                )
            if part.victim is not None:
                victims.append({**part.victim, "case_id": case_id, "person_id": person_id})
                victim_parts.append((case_id, part))
        victim_ids = bulk_insert(Victim, victims)
        bulk_insert(Perpetrator, perpetrators)
        bulk_insert(Identifier, identifiers)
        route, consents = [], []
        for victim_id, (case_id, part) in zip(victim_ids, victim_parts, strict=True):
            route += [{**e, "case_id": case_id, "victim_id": victim_id} for e in part.route_events]
            if part.consent:
                consents.append({**part.consent, "victim_id": victim_id})
        bulk_insert(RouteEvent, route)
        bulk_insert(Consent, consents)
        bulk_insert(
            ProsecutionStep,
            [
                {**s, "case_id": c}
                for c, r in zip(case_ids, batch, strict=True)
                for s in r.prosecution_steps
            ],
        )

"""Writing the encodings tables: the one place where plaintext becomes keyed encodings.

Writers of people call `encodings_refresh_after_commit(person_ids)` (or `encodings_refresh`
in the same process); operators rebuild or re-key everything with `quipu link encode|rekey`.
These run as the system on behalf of the record's owner, who has just written the records,
so there is no actor scope to check here; every run writes one audit row with counts only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

from django.db import connection, transaction

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.models import Identifier, Perpetrator, Person, Victim
from quipu.linkage.encoding import identifier_token, person_encode
from quipu.linkage.keys import LinkageKey, linkage_key
from quipu.linkage.models import IdentifierToken, PersonEncoding, Role
from quipu.linkage.normalise import name_parts, parse_date, sex_code

# People per round trip: large enough to amortise queries, small enough for IN lists on any
# backend and for a bounded memory footprint.
BATCH = 2000
# Ids per background task, so that a 20,000-case import is a few tasks, not one huge payload.
TASK_CHUNK = 10_000
WRITERS_TURN_SECONDS = 0.25
AUDIT_TYPE = "linkage.personencoding"

Progress = Callable[[int, int], None]


@dataclass
class EncodingSummary:
    """Counts of one refresh or rebuild; ids and codes only, safe for logs and audit."""

    people: int = 0  # people looked at
    encoded: int = 0  # encodings written
    tokens: int = 0  # identifier tokens written
    removed: int = 0  # encodings dropped: the person is gone or is no longer in any case
    stale_key: int = 0  # encodings found made with another key id (replaced or removed)
    key_id: str = ""
    countries: set[str] = field(default_factory=set)

    def add(self, other: EncodingSummary) -> None:
        self.people += other.people
        self.encoded += other.encoded
        self.tokens += other.tokens
        self.removed += other.removed
        self.stale_key += other.stale_key
        self.countries |= other.countries

    def audit_detail(self, operation: str) -> dict:
        detail = asdict(self)
        detail["countries"] = sorted(self.countries)
        return {"operation": operation, **detail}


def encodings_refresh(
    person_ids: Iterable[int], *, actor=None, progress: Progress | None = None
) -> EncodingSummary:
    """Re-encode these people with the current key, replacing their rows. Ids of people who
    were deleted (or are in no case any more) lose their encodings."""
    ids = sorted({int(pk) for pk in person_ids})
    if not ids:
        return EncodingSummary(key_id=linkage_key().key_id)
    # One transaction with its audit row: the matcher never sees half of a batch.
    with transaction.atomic():
        summary = _encode(ids, progress=progress)
        only = next(iter(summary.countries)) if len(summary.countries) == 1 else ""
        _audit(summary, "refresh", actor=actor, subject_country=only)
    return summary


def encodings_rebuild(*, actor=None, progress: Progress | None = None) -> EncodingSummary:
    """Re-encode every person with the current key and drop encodings of people now gone."""
    with transaction.atomic():
        summary = _rebuild(progress)
        _audit(summary, "rebuild", actor=actor)
    return summary


def encodings_rekey(*, actor=None, progress: Progress | None = None) -> EncodingSummary:
    """After a key rotation: re-encode everything with the current key, so that no encoding
    made with an old key id remains (the matcher cannot compare across keys)."""
    with transaction.atomic():
        summary = _rebuild(progress)
        left = PersonEncoding.objects.exclude(key_id=summary.key_id).count()
        left += IdentifierToken.objects.exclude(key_id=summary.key_id).count()
        if left:  # only possible if the key changed while this ran; roll everything back
            raise RuntimeError(f"{left} encodings still carry an old key id")
        _audit(summary, "rekey", actor=actor)
    return summary


def encodings_refresh_after_commit(person_ids: Iterable[int]) -> None:
    """Queue a background refresh of these people once the caller's transaction commits, so
    the worker reads what was committed, and nothing is queued if it rolls back."""
    from quipu.linkage.tasks import encodings_refresh_task  # tasks imports this module

    ids = sorted({int(pk) for pk in person_ids})
    if not ids:
        return

    def enqueue() -> None:
        for start in range(0, len(ids), TASK_CHUNK):
            encodings_refresh_task.enqueue(ids[start : start + TASK_CHUNK])

    transaction.on_commit(enqueue)


def encodings_owner_sync(institution_id: int) -> tuple[EncodingSummary, list[int]]:
    """After a bulk import into this institution: encode its people who have no encoding with
    the current key, and drop encodings of its people who are gone (a re-imported row
    replaces its people). Returns the summary and the ids of the people encoded."""
    key_id = linkage_key().key_id
    people = Person.objects.filter(owner_id=institution_id)
    current = PersonEncoding.objects.filter(owner_institution_id=institution_id, key_id=key_id)
    missing = list(people.exclude(pk__in=current.values("person_id")).values_list("pk", flat=True))
    gone = list(
        PersonEncoding.objects.filter(owner_institution_id=institution_id)
        .exclude(person_id__in=people.values("pk"))
        .values_list("person_id", flat=True)
    )
    ids = sorted({*missing, *gone})
    summary = EncodingSummary(key_id=key_id)
    # One transaction per chunk, not one for the whole import: on SQLite a transaction holds
    # the only write lock, and a web request that writes gives up after the busy timeout,
    # 10 s; CTDC's 97,750 people took 25 s in one. Each chunk is whole people.
    for start in range(0, len(ids), TASK_CHUNK):
        if start and connection.vendor == "sqlite":
            # SQLite's waiting writers retry every 100 ms at most; without a pause the next
            # chunk takes the lock back first, however many chunks there are.
            time.sleep(WRITERS_TURN_SECONDS)
        summary.add(encodings_refresh(ids[start : start + TASK_CHUNK]))
    return summary, missing


def encodings_owner_sync_after_commit(institution_id: int) -> None:
    """Queue `encodings_owner_sync` (and matching of the people it encodes) for after the
    caller's transaction commits."""
    from quipu.linkage.tasks import encodings_owner_sync_task  # tasks imports this module

    transaction.on_commit(lambda: encodings_owner_sync_task.enqueue(institution_id))


def _rebuild(progress: Progress | None) -> EncodingSummary:
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    summary = _encode(ids, progress=progress)
    # Encodings of people deleted without a refresh (person_id is not a foreign key).
    orphans = PersonEncoding.objects.exclude(person_id__in=Person.objects.values("pk"))
    summary.stale_key += orphans.exclude(key_id=summary.key_id).count()
    summary.removed += orphans.delete()[1].get(PersonEncoding._meta.label, 0)
    return summary


def _encode(ids: Sequence[int], *, progress: Progress | None) -> EncodingSummary:
    key = linkage_key()
    summary = EncodingSummary(key_id=key.key_id)
    for start in range(0, len(ids), BATCH):
        _batch_encode(ids[start : start + BATCH], key=key, summary=summary)
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    return summary


def _batch_encode(ids: Sequence[int], *, key: LinkageKey, summary: EncodingSummary) -> None:
    """Replace the encodings of one batch of people: five queries, two bulk inserts."""
    # Locking the people (PostgreSQL; SQLite has one writer anyway) makes two refreshes of the
    # same person, e.g. two quick edits on two workers, run one after the other instead of
    # colliding on the unique person_id. list(): the lock is taken before anything is read.
    people = list(
        Person.objects.filter(pk__in=ids)
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list(
            "pk",
            "owner_id",
            "owner__country_id",
            "first_name",
            "middle_name",
            "second_name",
            "birthdate",
            "gender",
        )
    )
    victims = set(Victim.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
    perpetrators = set(
        Perpetrator.objects.filter(person_id__in=ids).values_list("person_id", flat=True)
    )
    identifiers: dict[int, list[tuple[str, str, str | None]]] = {}
    for person_id, kind, value, issuing in Identifier.objects.filter(person_id__in=ids).values_list(
        "person_id", "kind", "value", "issuing_country_id"
    ):
        identifiers.setdefault(person_id, []).append((kind, value, issuing))

    existing = PersonEncoding.objects.filter(person_id__in=ids)
    previous: dict[int, int] = {}
    for person_id, encoding_id, key_id in existing.values_list("person_id", "pk", "key_id"):
        previous[person_id] = encoding_id
        summary.stale_key += int(key_id != key.key_id)
    existing.delete()  # cascades to the tokens

    encodings: list[PersonEncoding] = []
    for row in people:
        summary.people += 1
        person_id = row[0]
        # A victim who is also recorded as a perpetrator is matched as a victim: the
        # non-punishment principle puts their protection first.
        if person_id in victims:
            role = Role.VICTIM
        elif person_id in perpetrators:
            role = Role.PERPETRATOR
        else:
            continue  # not (or no longer) in any case: nothing to match
        encodings.append(_person_encoding(row, role, key=key, encoding_id=previous.get(person_id)))
        summary.countries.add(encodings[-1].owner_country)
    # Keeping the id of a replaced row keeps record ids stable for the matcher's results.
    PersonEncoding.objects.bulk_create(encodings, batch_size=500)
    summary.encoded += len(encodings)
    summary.removed += len(previous.keys() - {encoding.person_id for encoding in encodings})

    tokens = list(_identifier_tokens(encodings, identifiers, key=key))
    IdentifierToken.objects.bulk_create(tokens, batch_size=1000)
    summary.tokens += len(tokens)


def _person_encoding(
    row: tuple, role: Role, *, key: LinkageKey, encoding_id: int | None
) -> PersonEncoding:
    """The encoding of one row of _batch_encode's person query."""
    person_id, owner_id, country, first, middle, surnames, birthdate, gender = row
    given = " ".join(part for part in (first, middle) if part)
    sex = sex_code(gender) or ""
    encoded = person_encode(
        name=name_parts(given=given, surnames=surnames) if given or surnames else None,
        birth_date=parse_date(birthdate),
        sex=sex,
        key=key,
    )
    return PersonEncoding(
        id=encoding_id,
        person_id=person_id,
        owner_country=country or "",
        owner_institution_id=owner_id,
        role=role,
        # Without a name the CLK would hold only birth date and sex, which thousands of
        # strangers share (CTDC's de-identified rows): an empty CLK leaves such a person to
        # identifier tokens alone.
        clk=encoded.clk if given or surnames else bytes(len(encoded.clk)),
        birth_year=birthdate.year if birthdate else None,
        sex=sex,
        key_id=encoded.key_id,
        schema_id=encoded.schema_id,
    )


def _identifier_tokens(
    encodings: list[PersonEncoding],
    identifiers: dict[int, list[tuple[str, str, str | None]]],
    *,
    key: LinkageKey,
) -> Iterator[IdentifierToken]:
    for encoding in encodings:
        seen: set[tuple[str, str]] = set()
        for kind, value, issuing in identifiers.get(encoding.person_id, ()):
            try:
                # A national phone number was most likely dialled in the owner's country.
                token = identifier_token(
                    kind,
                    value,
                    key=key,
                    country=issuing,
                    default_region=issuing or encoding.owner_country,
                )
            except ValueError:
                continue  # a kind the encoder does not know: no token rather than a guess
            if token is None or (token.kind, token.token) in seen:
                continue
            seen.add((token.kind, token.token))
            yield IdentifierToken(
                encoding_id=encoding.pk, kind=token.kind, token=token.token, key_id=token.key_id
            )


def _audit(summary: EncodingSummary, operation: str, *, actor, subject_country: str = "") -> None:
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type=AUDIT_TYPE,
        subject_country=subject_country,
        detail=summary.audit_detail(operation),
    )

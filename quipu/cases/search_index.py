"""The case search index: each case's words, lower-cased and accent-folded, in one row.

Search compares folded words with folded text ("Castaneda" finds "Castañeda", "MARIN" finds
"Marín") on both databases, and reads one narrow table instead of every person, identifier and
route event. Two columns, because rule 7 decides per case who may search by personal data:
- `public`: the reference, the route's cities and states, and each route country as `~cc`;
- `personal`: names and identifiers, searched only in the cases `personal_readable` allows.

Every writer of what goes in here keeps it: the case services, the import writer (its fast
path, `search_texts_insert`), consular registration. `search_texts_refresh` rebuilds any cases;
`quipu case_search_index` rebuilds all. On PostgreSQL, trigram indexes serve `LIKE '%word%'`
when the pg_trgm extension can be created (migration 0003; `search_trigram_indexes_create`).
"""

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from unidecode import unidecode

from quipu.cases.models import (
    Case,
    CaseSearchText,
    Identifier,
    Perpetrator,
    RouteEvent,
    Victim,
)

log = logging.getLogger(__name__)

CHUNK = 2000  # ids per IN list: well under SQLite's limit on query parameters
NAME_FIELDS = ("first_name", "middle_name", "second_name")
COUNTRY_MARK = "~"  # a route country is `~cc` in the public text; query words never hold "~"

# (person fields, identifiers, route events) as dicts: what the import writer holds for each
# person of a record, and what `search_texts_refresh` reads back from the database.
PersonParts = tuple[dict, Sequence[dict], Sequence[dict]]


def fold(text: str) -> str:
    """Lower case without accents: the one form that indexed text and searched words share."""
    return unidecode(text or "").lower()


def _compact(folded: str) -> str:
    return re.sub(r"[^0-9a-z]", "", folded)


def search_texts(reference: str, people: Iterable[PersonParts]) -> tuple[str, str]:
    """(public, personal) text of a case with this reference and these people."""
    public = [fold(reference)]
    personal: list[str] = []
    countries: set[str] = set()
    for person, identifiers, route_events in people:
        personal += [fold(person.get(name) or "") for name in NAME_FIELDS]
        for identifier in identifiers:
            value = fold(str(identifier.get("value") or ""))
            personal.append(value)
            # Documents typed without their punctuation ("ab-123.456" as "AB123456") match too.
            if (compact := _compact(value)) and compact not in value:
                personal.append(compact)
        for event in route_events:
            public += [fold(event.get("city") or ""), fold(event.get("state") or "")]
            if country := event.get("country_id"):
                countries.add(f"{COUNTRY_MARK}{country.lower()}")
    public += sorted(countries)
    return _joined(public), _joined(personal)


def _joined(words: list[str]) -> str:
    return " ".join(word for word in words if word)


FTS = "cases_search_fts"  # SQLite's trigram full-text index of the table (migration 0004)
TRIGRAM = 3  # shorter words have no trigram: they are looked for by reading the table


def case_ids_containing(column: str, needles: Iterable[str]) -> QuerySet:
    """Ids of the cases whose `column` ("public" or "personal") holds one of `needles` (folded
    words): a subquery that the database answers from its index (SQLite's FTS5 trigram table,
    PostgreSQL's trigram GIN index) when every needle has three characters or more."""
    needles = sorted(set(needles))
    if connection.vendor == "sqlite" and all(len(n) >= TRIGRAM for n in needles):
        phrases = " OR ".join('"{}"'.format(n.replace('"', '""')) for n in needles)
        # The words travel as a parameter; only constant names are in the statement.
        matched = RawSQL(  # noqa: S611
            f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s",  # noqa: S608
            [f"{column} : ({phrases})"],
        )
        return CaseSearchText.objects.filter(case_id__in=matched).values("case_id")
    condition = Q()
    for needle in needles:
        condition |= Q(**{f"{column}__contains": needle})
    return CaseSearchText.objects.filter(condition).values("case_id")


def search_texts_insert(rows: Iterable[tuple[int, str, Iterable[PersonParts]]]) -> None:
    """Index new cases: (case id, reference, people) each. The import writer's path: it holds
    the values already, so nothing is read back."""
    values = [(case_id, *search_texts(reference, people)) for case_id, reference, people in rows]
    if not values:
        return
    table = CaseSearchText._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f'INSERT INTO "{table}" (case_id, public, personal) VALUES (%s, %s, %s)',  # noqa: S608
            values,
        )


def search_texts_refresh(case_ids: Iterable[int]) -> None:
    """Rebuild the index rows of these cases from the database (a case gone loses its row)."""
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            _refresh_chunk(ids[start : start + CHUNK])


def search_texts_refresh_for_people(person_ids: Iterable[int]) -> None:
    """Rebuild the index rows of every case these people are a victim or perpetrator in."""
    person_ids = list(person_ids)
    case_ids: set[int] = set()
    for start in range(0, len(person_ids), CHUNK):
        chunk = person_ids[start : start + CHUNK]
        for model in (Victim, Perpetrator):
            rows = model.objects.filter(person_id__in=chunk).values_list("case_id", flat=True)
            case_ids.update(rows)
    search_texts_refresh(case_ids)


def _refresh_chunk(ids: list[int]) -> None:
    CaseSearchText.objects.filter(case_id__in=ids).delete()
    references = dict(Case.objects.filter(pk__in=ids).values_list("pk", "reference"))
    people: dict[int, dict[int, dict]] = defaultdict(dict)  # case -> person -> fields
    victims: dict[int, int] = {}  # victim -> person
    for model in (Victim, Perpetrator):
        rows = model.objects.filter(case_id__in=references).values(
            "pk", "case_id", "person_id", *(f"person__{name}" for name in NAME_FIELDS)
        )
        for row in rows:
            fields = {name: row[f"person__{name}"] for name in NAME_FIELDS}
            people[row["case_id"]][row["person_id"]] = fields
            if model is Victim:
                victims[row["pk"]] = row["person_id"]
    person_ids = {pid for persons in people.values() for pid in persons}
    identifiers: dict[int, list[dict]] = defaultdict(list)
    for row in Identifier.objects.filter(person_id__in=person_ids).values("person_id", "value"):
        identifiers[row["person_id"]].append(row)
    routes: dict[int, list[dict]] = defaultdict(list)
    events = RouteEvent.objects.filter(victim_id__in=victims).values(
        "victim_id", "city", "state", "country_id"
    )
    for row in events:
        routes[victims[row["victim_id"]]].append(row)
    search_texts_insert(
        (
            case_id,
            reference,
            [(fields, identifiers[pid], routes[pid]) for pid, fields in people[case_id].items()],
        )
        for case_id, reference in references.items()
    )


def search_texts_rebuild() -> int:
    """Rebuild the whole index (after a restore, or to check it); returns the cases indexed."""
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    search_texts_refresh(ids)  # no orphans to remove: a row goes with its case (foreign key)
    return len(ids)


TRIGRAM_INDEXES = {
    "cases_search_public_trgm": "public",
    "cases_search_personal_trgm": "personal",
}


def search_trigram_indexes_create(schema_connection=None) -> bool:
    """On PostgreSQL, trigram (GIN) indexes that serve `LIKE '%word%'` on both columns. Needs
    the pg_trgm extension, which only a user with the right may create: without it, search
    still works by reading the table, and this says so in the log (no search words in it)."""
    conn = schema_connection or connection
    if conn.vendor != "postgresql":
        return False
    table = CaseSearchText._meta.db_table
    with conn.cursor() as cursor:
        try:
            with transaction.atomic(using=conn.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 - lacking the right is an expected, reported state
            log.warning(
                "pg_trgm could not be created: case search reads its table without an index. "
                "Ask a superuser to run CREATE EXTENSION pg_trgm, then: quipu case_search_index"
            )
            return False
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        present = {row[0] for row in cursor.fetchall()}
        missing = {name: column for name, column in TRIGRAM_INDEXES.items() if name not in present}
        if missing and conn.in_atomic_block:
            # Rows just written in this transaction (the migration's backfill, a rebuild) leave
            # deferred foreign-key checks pending, and PostgreSQL refuses CREATE INDEX until
            # they have run.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, column in missing.items():
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                f'USING gin ("{column}" gin_trgm_ops)'
            )
    return True

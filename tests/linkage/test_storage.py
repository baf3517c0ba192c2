"""The encodings tables and the matcher's boundary (DESIGN.md rule 2: the matcher sees
encodings only), against the real database."""

import ast
import importlib.util
import json
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from quipu.audit.models import Action, AuditEntry
from quipu.cases.models import Case, Identifier, Person, Victim
from quipu.cases.personal import PERSONAL_FIELDS
from quipu.intake.records import CaseRecord, PersonRecord
from quipu.intake.writer import records_write
from quipu.linkage import services
from quipu.linkage.encoding import CLK_BYTES, SCHEMA_ID
from quipu.linkage.keys import linkage_key_from_secret
from quipu.linkage.matcher import encoded_records
from quipu.linkage.models import IdentifierToken, PersonEncoding
from quipu.linkage.services import (
    encodings_owner_sync,
    encodings_rebuild,
    encodings_refresh,
    encodings_refresh_after_commit,
)
from quipu.tenancy.countries import REGIONAL_PLATFORM
from quipu.tenancy.models import Institution
from tests.conftest import background_tasks_run

pytestmark = pytest.mark.django_db

SECRET = "quipu storage test linkage secret, never used in production"
ROTATED_SECRET = "quipu storage test linkage secret, the one after the rotation"
KEY = linkage_key_from_secret(SECRET)
ROTATED = linkage_key_from_secret(ROTATED_SECRET)
PHONE = "+57 300 555 0142"  # a possible Colombian mobile number, fictitious
LINKAGE_TABLES = {PersonEncoding._meta.db_table, IdentifierToken._meta.db_table}
MATCHER_DIR = Path(importlib.util.find_spec("quipu.linkage.matcher").origin).parent


@pytest.fixture(autouse=True)
def linkage_test_key(monkeypatch, tmp_path):
    """A known key, and a key file path in tmp: tests never write the real var/linkage.key."""
    monkeypatch.setenv("QUIPU_LINKAGE_KEY", SECRET)
    monkeypatch.setenv("QUIPU_LINKAGE_KEY_FILE", str(tmp_path / "linkage.key"))


def sample_victim(country: str) -> Person:
    return Victim.objects.get(case__reference=f"{country}-TEST-1").person


def case_with_phone(country: str, phone: str, *, name: str) -> Person:
    """A case owned by the country's police whose victim has a phone, through the writer."""
    record = CaseRecord(
        row=1,
        source_key=f"test:storage:{country}:{name}",
        case={"reference": f"{country}-STORAGE-{name}", "kind": "TIP", "status": "Active"},
        people=[
            PersonRecord(
                person={"first_name": name, "second_name": "Quispe", "gender": "Feminine"},
                victim={"age_group": "18--20"},
                identifiers=[{"kind": "phone", "value": phone}],
            )
        ],
    )
    owner = Institution.objects.get(code=f"{country}-POLICE")
    records_write(owner=owner, records=[record])
    return Victim.objects.get(case__owner=owner, case__reference=record.case["reference"]).person


def tokens_of(person: Person) -> set[str]:
    return set(
        IdentifierToken.objects.filter(encoding__person_id=person.pk).values_list(
            "token", flat=True
        )
    )


# --- storage -------------------------------------------------------------------------------


def test_encodings_appear_for_the_sample_victims(region):
    summary = encodings_rebuild()
    assert summary.encoded == PersonEncoding.objects.count() > 0
    for country in REGIONAL_PLATFORM:
        person = sample_victim(country)
        encoding = PersonEncoding.objects.get(person_id=person.pk)
        assert encoding.owner_country == country
        assert encoding.owner_institution_id == region.institution(f"{country}-POLICE").pk
        assert encoding.role == "victim"
        assert encoding.sex == "F"
        assert len(bytes(encoding.clk)) == CLK_BYTES and any(bytes(encoding.clk))
        assert (encoding.key_id, encoding.schema_id) == (KEY.key_id, SCHEMA_ID)


def test_identical_phone_in_two_countries_gives_equal_tokens(region):
    # Colombia writes it nationally; Peru writes the same phone internationally.
    colombian = case_with_phone("CO", "300 555 0142", name="Rosa")
    peruvian = case_with_phone("PE", PHONE, name="Rosalia")
    different = case_with_phone("PE", "+57 300 555 0143", name="Ana")
    encodings_refresh([colombian.pk, peruvian.pk, different.pk])

    assert tokens_of(colombian) == tokens_of(peruvian)
    assert len(tokens_of(colombian)) == 1
    assert tokens_of(different).isdisjoint(tokens_of(colombian))
    (token,) = tokens_of(colombian)
    groups = {record.group for record in encoded_records() if f"phone:{token}" in record.tokens}
    assert groups == {"CO", "PE"}


def test_refresh_replaces_rows_and_keeps_the_record_id(region):
    person = case_with_phone("BO", PHONE, name="Rosa")
    encodings_refresh([person.pk])
    first = PersonEncoding.objects.get(person_id=person.pk)
    Person.objects.filter(pk=person.pk).update(birthdate=date(1999, 4, 1))
    Identifier.objects.filter(person=person).delete()

    summary = encodings_refresh([person.pk])

    second = PersonEncoding.objects.get(person_id=person.pk)
    assert (summary.people, summary.encoded, summary.tokens) == (1, 1, 0)
    assert second.pk == first.pk
    assert second.birth_year == 1999 and bytes(second.clk) != bytes(first.clk)
    assert tokens_of(person) == set()


def test_refresh_of_a_deleted_person_removes_its_encoding(region):
    person = case_with_phone("UY", PHONE, name="Rosa")
    person_id = person.pk
    encodings_refresh([person_id])
    Case.objects.filter(victims__person=person).delete()
    person.delete()

    summary = encodings_refresh([person_id])

    assert (summary.people, summary.encoded, summary.removed) == (0, 0, 1)
    assert not PersonEncoding.objects.filter(person_id=person_id).exists()
    assert not IdentifierToken.objects.filter(encoding__person_id=person_id).exists()


def test_refresh_after_commit_queues_a_task_the_worker_runs(
    region, django_capture_on_commit_callbacks
):
    person = case_with_phone("EC", PHONE, name="Rosa")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        encodings_refresh_after_commit([person.pk])
    assert not PersonEncoding.objects.filter(person_id=person.pk).exists()  # nothing before
    assert len(callbacks) == 1

    callbacks[0]()  # the commit
    background_tasks_run()

    assert PersonEncoding.objects.filter(person_id=person.pk, key_id=KEY.key_id).exists()
    assert len(tokens_of(person)) == 1


def test_rekey_with_a_new_key_changes_every_token_and_key_id(region, monkeypatch):
    case_with_phone("CO", PHONE, name="Rosa")
    encodings_rebuild()
    before_tokens = set(IdentifierToken.objects.values_list("token", flat=True))
    before_clks = dict(PersonEncoding.objects.values_list("pk", "clk"))
    assert before_tokens and set(PersonEncoding.objects.values_list("key_id", flat=True)) == {
        KEY.key_id
    }

    monkeypatch.setenv("QUIPU_LINKAGE_KEY", ROTATED_SECRET)
    out = StringIO()
    with translation.override("en"):  # the default language is Spanish
        call_command("link", "rekey", stdout=out)

    assert f"{len(before_clks)} encodings had an old key" in out.getvalue()
    assert set(PersonEncoding.objects.values_list("key_id", flat=True)) == {ROTATED.key_id}
    assert set(IdentifierToken.objects.values_list("key_id", flat=True)) == {ROTATED.key_id}
    after_tokens = set(IdentifierToken.objects.values_list("token", flat=True))
    assert len(after_tokens) == len(before_tokens)
    assert after_tokens.isdisjoint(before_tokens)
    after_clks = dict(PersonEncoding.objects.values_list("pk", "clk"))
    assert after_clks.keys() == before_clks.keys()  # same record ids, new encodings
    assert all(bytes(after_clks[pk]) != bytes(before_clks[pk]) for pk in before_clks)


def test_link_encode_command_reports_progress_and_counts(region):
    out = StringIO()
    with translation.override("en"):  # the default language is Spanish
        call_command("link", "encode", stdout=out)
    people = Person.objects.count()
    assert f"Encoded {people} of {people} people" in out.getvalue()
    assert f"{PersonEncoding.objects.count()} encodings" in out.getvalue()


def test_sync_after_an_import_encodes_in_one_transaction_per_chunk_of_people(region, monkeypatch):
    """On SQLite one long transaction would lock out every web request for its length."""
    monkeypatch.setattr(services, "TASK_CHUNK", 2)
    owner = region.institution("AR-POLICE")
    for n in range(5):
        case_with_phone("AR", f"+54 9 11 5555 010{n}", name=f"Rosa{n}")
    owned = sorted(Person.objects.filter(owner=owner).values_list("pk", flat=True))
    before = AuditEntry.objects.filter(object_type="linkage.personencoding").count()
    refresh, chunks = encodings_refresh, []

    def each_chunk(ids):
        chunks.append(list(ids))
        return refresh(ids)

    monkeypatch.setattr(services, "encodings_refresh", each_chunk)
    pauses = []
    monkeypatch.setattr(services.time, "sleep", pauses.append)
    summary, encoded = encodings_owner_sync(owner.pk)

    assert len(owned) == 6 and sorted(encoded) == owned == sum(chunks, [])
    assert [len(ids) for ids in chunks] == [2, 2, 2]
    assert (
        summary.encoded == 6 == PersonEncoding.objects.filter(owner_institution_id=owner.pk).count()
    )
    assert summary.countries == {"AR"}
    audited = AuditEntry.objects.filter(object_type="linkage.personencoding").count() - before
    assert audited == 3
    # SQLite's waiting writers (a sign-in, a save) get a turn between chunks.
    turns = [services.WRITERS_TURN_SECONDS] * 2 if connection.vendor == "sqlite" else []
    assert pauses == turns


def test_rule3_every_rebuild_writes_one_audit_row_with_counts_only(region):
    """DESIGN.md rule 3: encoding reads personal data, so it is audited; without values."""
    before = AuditEntry.objects.filter(object_type="linkage.personencoding").count()
    summary = encodings_rebuild()
    entries = AuditEntry.objects.filter(object_type="linkage.personencoding")
    assert entries.count() == before + 1
    entry = entries.order_by("-seq").first()
    assert entry.action == Action.UPDATE
    assert entry.detail["operation"] == "rebuild"
    assert entry.detail["encoded"] == summary.encoded
    assert entry.detail["key_id"] == KEY.key_id
    text = json.dumps(entry.detail)
    assert "NombreCO" not in text and "ApellidoCO" not in text


# --- no plaintext in the encodings tables --------------------------------------------------


def test_rule2_encodings_tables_have_no_plaintext_columns():
    """DESIGN.md rule 2: the tables the matcher reads hold only encodings and coarse codes."""
    with connection.cursor() as cursor:
        columns = {
            table: {c.name for c in connection.introspection.get_table_description(cursor, table)}
            for table in LINKAGE_TABLES
        }
    assert columns == {
        "linkage_personencoding": {
            "id",
            "person_id",
            "owner_country",
            "owner_institution_id",
            "role",
            "clk",
            "birth_year",
            "sex",
            "key_id",
            "schema_id",
            "updated_at",
        },
        "linkage_identifiertoken": {"id", "encoding_id", "kind", "token", "key_id"},
    }
    personal = set().union(*PERSONAL_FIELDS.values())
    assert not personal & (columns["linkage_personencoding"] | columns["linkage_identifiertoken"])


def test_encodings_tables_have_no_relation_to_plaintext_tables():
    """person_id is a plain integer: no ORM path such as person__first_name exists."""
    for model in (PersonEncoding, IdentifierToken):
        for field in model._meta.get_fields():
            if field.is_relation:
                assert field.related_model in (PersonEncoding, IdentifierToken), field


def test_stored_encodings_contain_no_plaintext_values(region):
    person = case_with_phone("AR", PHONE, name="Rosalinda")
    encodings_rebuild()
    texts = [
        str(value)
        for model in (PersonEncoding, IdentifierToken)
        for row in model.objects.values_list()
        for value in row
    ]
    for plaintext in ("Rosalinda", "ROSALINDA", "Quispe", "QUISPE", "3005550142", "NombreCO"):
        assert not any(plaintext in text for text in texts)
    assert PersonEncoding.objects.filter(person_id=person.pk).exists()


# --- the matcher's boundary ----------------------------------------------------------------

FORBIDDEN_MODULES = ("quipu.cases", "quipu.intake", "quipu.linkage.services", "quipu.linkage.tasks")
# Ways around the ORM's table list: raw SQL, another model looked up by name.
FORBIDDEN_NAMES = {"connection", "connections", "cursor", "raw", "extra", "RawSQL", "get_model"}


def imported_modules(tree: ast.Module, package: str) -> set[str]:
    """Absolute names of every module a source imports, `from a import b` giving a and a.b."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return names


def boundary_violations(source: str, package: str) -> list[str]:
    """What in one matcher module could reach plaintext: forbidden imports or raw access."""
    tree = ast.parse(source)
    found = [
        name
        for name in imported_modules(tree, package)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_MODULES)
    ]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            found.append(node.attr)
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(node.id)
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] in FORBIDDEN_NAMES:
            found.append(node.name)
    return found


def module_source(name: str) -> tuple[str, str] | None:
    """(source, package) of a quipu module, or None for a name that is not a module."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    package = name if spec.submodule_search_locations else name.rpartition(".")[0]
    return Path(spec.origin).read_text(encoding="utf-8"), package


def test_boundary_check_catches_what_it_forbids():
    for source in (
        "from quipu.cases.models import Person",
        "import quipu.intake.writer",
        "from django.db import connection",
        "from ..services import encodings_refresh",
        "PersonEncoding.objects.raw('SELECT 1')",
        "from django.apps import apps\napps.get_model('cases', 'Person')",
    ):
        assert boundary_violations(source, "quipu.linkage.matcher"), source
    assert not boundary_violations(
        "from quipu.linkage.models import PersonEncoding", "quipu.linkage.matcher"
    )


def test_rule2_matcher_code_cannot_reach_plaintext_statically():
    """DESIGN.md rule 2: nothing under quipu/linkage/matcher/, nor any quipu module it imports
    in turn, imports the case tables, intake, the encoders' writer or raw SQL."""
    modules = sorted(MATCHER_DIR.rglob("*.py"))
    assert modules
    seen: set[str] = set()
    queue = []
    for path in modules:
        relative = path.relative_to(MATCHER_DIR.parent).with_suffix("")
        parts = ["quipu", "linkage", *relative.parts]
        package = ".".join(parts[:-1])  # the package of both matcher/x.py and __init__.py
        source = path.read_text(encoding="utf-8")
        assert boundary_violations(source, package) == [], path
        queue += sorted(imported_modules(ast.parse(source), package))
    # Follow quipu imports transitively: a helper module must not become a back door.
    while queue:
        name = queue.pop()
        if name in seen or not name.startswith("quipu"):
            continue
        seen.add(name)
        assert not any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_MODULES), name
        found = module_source(name)
        if found is not None:
            queue += sorted(imported_modules(ast.parse(found[0]), found[1]))
    assert "quipu.linkage.models" in seen


def table_names(sql: str) -> set[str]:
    return set(re.findall(r'"(\w+)"\s*\.', sql)) | set(
        re.findall(r'\b(?:FROM|JOIN)\s+"(\w+)"', sql, flags=re.IGNORECASE)
    )


def test_rule2_matcher_queries_touch_only_the_encodings_tables(region):
    """DESIGN.md rule 2, dynamically: every query encoded_records() runs reads only the
    encodings tables."""
    case_with_phone("CO", PHONE, name="Rosa")
    case_with_phone("PY", PHONE, name="Rosa")
    encodings_rebuild()

    with CaptureQueriesContext(connection) as queries:
        records = list(encoded_records(chunk_size=7))
        victims = list(encoded_records("institution", role="victim", key_id=KEY.key_id))

    assert len(queries.captured_queries) > 2
    for query in queries.captured_queries:
        sql = query["sql"]
        assert table_names(sql) and table_names(sql) <= LINKAGE_TABLES, sql
        assert "cases_" not in sql and "tenancy_" not in sql and "intake_" not in sql
    assert len(records) == PersonEncoding.objects.count()
    assert len(victims) == PersonEncoding.objects.filter(role="victim").count()
    assert sum(bool(record.tokens) for record in records) == 2


def test_matcher_records_carry_encoding_ids_not_person_ids(region):
    person = case_with_phone("VE", PHONE, name="Rosa")
    encodings_refresh([person.pk])
    encoding = PersonEncoding.objects.get(person_id=person.pk)
    (record,) = [r for r in encoded_records() if r.record_id == encoding.pk]

    assert record.group == "VE"
    assert record.clk == bytes(encoding.clk) and isinstance(record.clk, bytes)
    assert (record.birth_year, record.sex, record.role) == (None, "F", "victim")
    assert record.tokens == {f"phone:{token}" for token in tokens_of(person)}
    assert not hasattr(record, "person_id")

"""Shared fixtures. The demo region is built once per run into the real test database."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseOperations

from quipu.audit.triggers import SQLITE_INSTALL, SQLITE_REMOVE

# Argon2 is slow on purpose; tests that are not about hashing use a fast hasher.
# tests/accounts/test_login.py checks that argon2 is what the settings ship.
SHIPPED_HASHERS = list(settings.PASSWORD_HASHERS)
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *SHIPPED_HASHERS]
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Flushing between transactional tests deletes every row; on SQLite the append-only triggers
# would refuse that, so the flush lifts them for its own statements and puts them back.
_sqlite_flush = DatabaseOperations.sql_flush


def _flush_keeping_triggers(self, style, tables, **kwargs):
    statements = _sqlite_flush(self, style, tables, **kwargs)
    if "audit_auditentry" not in tables:
        return statements
    return [*SQLITE_REMOVE, *statements, *SQLITE_INSTALL]


DatabaseOperations.sql_flush = _flush_keeping_triggers


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from io import StringIO

    from quipu.tenancy.demo import demo_build

    with django_db_blocker.unblock():
        demo_build(stdout=StringIO())
        sample_cases_build()


def sample_cases_build():
    """One case per member state, owned by its police, with a named victim and a phone."""
    from quipu.cases.fields import CodeSet
    from quipu.intake.records import CaseRecord, PersonRecord
    from quipu.intake.writer import records_write
    from quipu.tenancy.countries import REGIONAL_PLATFORM
    from quipu.tenancy.models import Institution

    for country in REGIONAL_PLATFORM:
        record = CaseRecord(
            row=1,
            source_key=f"test:{country}",
            case={
                "reference": f"{country}-TEST-1",
                "kind": "TIP",
                "status": "Active",
                "registration_year": 2024,
            },
            people=[
                PersonRecord(
                    person={
                        "first_name": f"Nombre{country}",
                        "second_name": f"Apellido{country}",
                        "gender": "Feminine",
                        "citizenship_id": country,
                    },
                    victim={
                        "age_group": "18--20",
                        "exploitation_types": CodeSet.of({"SexualExploitation"}),
                    },
                    identifiers=[{"kind": "phone", "value": f"+5700000{len(country)}"}],
                    route_events=[{"event_type": "Exploitation", "country_id": country}],
                )
            ],
        )
        records_write(owner=Institution.objects.get(code=f"{country}-POLICE"), records=[record])


@pytest.fixture(autouse=True)
def audit_checkpoints_apart(tmp_path_factory, monkeypatch):
    """Each test signs audit checkpoints into its own folder: a checkpoint of one test's
    (rolled back) chain would make every later `audit verify` fail."""
    folder = tmp_path_factory.mktemp("audit-checkpoints")
    monkeypatch.setenv("QUIPU_AUDIT_CHECKPOINT_DIR", str(folder))
    return folder


@pytest.fixture
def region(db):
    """The demo region, as `quipu demo` builds it (already loaded for `db` tests)."""
    from io import StringIO

    from quipu.tenancy.demo import demo_build
    from quipu.tenancy.models import User

    if not User.objects.filter(username="focal.co").exists():
        demo_build(stdout=StringIO())
        sample_cases_build()
    return Region()


class Region:
    """Handy lookups into the demo region."""

    @staticmethod
    def user(username: str):
        from quipu.tenancy.models import User

        return User.objects.get(username=username)

    @staticmethod
    def institution(code: str):
        from quipu.tenancy.models import Institution

        return Institution.objects.get(code=code)


@pytest.fixture
def login(client):
    """Sign a demo user in through the real session machinery."""

    def sign_in(username: str):
        from quipu.tenancy.models import User

        client.force_login(User.objects.get(username=username))
        return client

    return sign_in


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"


def shared_reference(*parts: str) -> Path:
    """A file of the shared reference data (CTDC, HTCDS): skipped when absent, never in CI."""
    path = SHARED_REFERENCE.joinpath(*parts)
    if not path.is_file():
        reason = f"needs the shared reference data: {path} is missing"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def background_tasks_run() -> None:
    """Run the real task worker until the queue is empty, inside the test's transaction.

    The worker drops connections that are not in autocommit mode before each task, as a
    long-running process should; a test's connection is inside a transaction on purpose, so
    here that check is switched off and the worker shares the test's connection.
    """
    from unittest import mock

    from django.core.management import call_command

    target = "django_tasks_db.management.commands.db_worker.close_old_connections"
    with mock.patch(target, lambda: None):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture(autouse=True)
def cache_of_this_test_only(settings):
    """A fresh in-memory cache per test: DRF's throttles and the lockout count in the default
    cache, a folder under var/ shared by every run, so repeated runs would meet 429s."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests",
        }
    }
    from django.core.cache import cache

    cache.clear()

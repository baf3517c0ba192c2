"""Imports on SQLite: every row checked first, then written in short steps, undone whole if
the import does not end.

SQLite has one write lock for the whole database, and an import written in one transaction
held it for the whole file: every other writer (a sign-in, an audit row, a saved form) waited
out the busy timeout and failed with "database is locked". Here nothing is written until every
row has passed; then each batch is its own short transaction, with a pause after it that is
longer than SQLite's longest busy-handler sleep, so that waiting writers get their turn. The
cases a step writes carry `pending:<id>` in place of their hash; the last step replaces the
changed cases, gives the new ones their real hashes and writes the audit row in one short
transaction. An import that fails, or whose process dies (its lease file is then no longer
locked), is undone by deleting its pending cases: the database holds all of a file or none of
it, and the same file twice still gives the same database. PostgreSQL locks rows, not the
database, and keeps the one transaction (imports.py). See docs/decisions.md, 2026-12-06.
"""

import time
import uuid

from django.db import connection, transaction

from quipu.cases.models import Case
from quipu.intake.pipeline import BatchWriter
from quipu.intake.records import CaseRecord
from quipu.intake.writer import (
    WriteSummary,
    cases_with_people_delete,
    pending_hashes_settle,
    records_write,
    records_write_new,
)
from quipu.leases import lease_held, lease_hold, lease_path
from quipu.linkage.services import encodings_owner_sync_after_commit
from quipu.tenancy.models import Institution

PENDING = "pending:"
# SQLite's busy handler sleeps at most 100 ms between tries: a longer pause lets every
# writer that waited during a step in before the next step.
PAUSE_SECONDS = 0.15
UNDO_STEP = 1000


class Discard:
    """A writer for the checking pass: rows are parsed and checked, nothing is stored."""

    def put(self, batch: list[CaseRecord]) -> None:
        pass


class _Steps:
    """Writes each batch as its own transaction and keeps what the last step needs."""

    def __init__(self, pending: str):
        self.pending = pending
        self.changed: list[CaseRecord] = []
        self.hashes: dict[str, str] = {}

    def write(self, *, owner: Institution, records: list[CaseRecord], actor) -> WriteSummary:
        # Inside a caller's transaction (a test, say) no step lets the lock go: no pause.
        pause = 0 if transaction.get_connection().in_atomic_block else PAUSE_SECONDS
        with transaction.atomic():
            summary, changed, hashes = records_write_new(
                owner=owner, records=records, actor=actor, pending=self.pending
            )
        self.changed += changed
        self.hashes.update(hashes)
        time.sleep(pause)
        return summary


def import_in_steps(*, owner, actor, job_id, result, rows, audit, proceed=None) -> None:
    """Check every row, then write them in steps (see the module's docstring).

    `rows(writer, job_id, result)` reads the file's rows once more each time it is called;
    `audit` is imports.py's audit writer; `result` is filled in. `proceed()`, asked once
    every row has passed the check, may stop the import before anything is written.
    """
    rows(Discard(), None, result)
    if not result.ok or (proceed is not None and not proceed()):
        return
    pending = f"{PENDING}{job_id or uuid.uuid4()}"
    steps = _Steps(pending)
    written = type(result)()
    with lease_hold(_lease_name(pending)):
        try:
            with BatchWriter(owner, actor, write=steps.write) as writer:
                rows(writer, job_id, written)
            if not written.ok:  # a row the check passed failed now: write none of them
                raise RuntimeError("import rows changed between the check and the write")
            summary = writer.summary
            with transaction.atomic():
                if steps.changed:
                    summary.add(records_write(owner=owner, records=steps.changed, actor=actor))
                pending_hashes_settle(owner, steps.hashes, pending)
                result.summary = summary
                audit(owner, actor, job_id, result)
                if summary.created or summary.updated:
                    encodings_owner_sync_after_commit(owner.pk)
        except BaseException:
            pending_cases_undo(pending)
            raise


def pending_cases_undo(pending: str) -> int:
    """Delete the cases (and their people) an unfinished import wrote; returns how many."""
    undone = 0
    while True:
        with transaction.atomic():
            ids = list(
                Case.objects.filter(source_hash=pending).values_list("pk", flat=True)[:UNDO_STEP]
            )
            if ids:
                cases_with_people_delete(Case.objects.filter(pk__in=ids))
        if not ids:
            return undone
        undone += len(ids)
        time.sleep(PAUSE_SECONDS)


def orphaned_import_undo(pending: str) -> int:
    """Undo an import whose process died, and forget its lease; returns the cases removed."""
    undone = pending_cases_undo(pending)
    lease_path(_lease_name(pending)).unlink(missing_ok=True)
    return undone


def pending_imports_orphaned() -> list[str]:
    """The pending marks of imports written in steps whose process is gone."""
    marks = (
        Case.objects.filter(source_hash__startswith=PENDING)
        .values_list("source_hash", flat=True)
        .distinct()
    )
    return [mark for mark in marks if not lease_held(_lease_name(mark))]


def _lease_name(pending: str) -> str:
    return f"import-{pending.removeprefix(PENDING)}"


def steps_used() -> bool:
    """Whether imports are written in steps on this database."""
    return connection.vendor == "sqlite"

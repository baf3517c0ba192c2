"""Importing a file of cases: every row is checked, and either all are written or none.

Rows stream from the file and are written in batches inside one transaction, so memory stays
flat however large the file is.
"""

import gc
import hashlib
import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import InvalidInput
from quipu.file_limits import FileRefused
from quipu.intake.formats.registry import Chosen, format_choose
from quipu.intake.models import ImportJob, JobStatus
from quipu.intake.pipeline import BatchWriter
from quipu.intake.progress import progress_set
from quipu.intake.readers import Sheet, data_rows_estimate, open_sheet
from quipu.intake.records import CaseRecord, RowError
from quipu.intake.shares import CountryTally, confirmation_applies, confirmation_needed
from quipu.intake.staged import Discard, import_in_steps, steps_used
from quipu.intake.writer import BATCH, WriteSummary
from quipu.linkage.services import encodings_owner_sync_after_commit
from quipu.tenancy.models import Institution

logger = logging.getLogger(__name__)

MAX_REPORTED_ERRORS = 10_000
UNEXPECTED_FAILURE = gettext_noop(
    "The import stopped on an unexpected error and nothing was saved. Try again; if it "
    "happens again, tell your administrator."
)
PROGRESS_EVERY = 5_000


@dataclass
class ImportResult:
    format: str = ""
    rows: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    summary: WriteSummary = field(default_factory=WriteSummary)
    country_check: dict = field(default_factory=dict)  # shares.py: codes and counts
    held: bool = False  # nothing written: the rows must first be confirmed (shares.py)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def error_entry(error: RowError) -> dict:
    """A row error as stored: the English msgid, translated again whenever it is shown."""
    with translation.override("en"):
        entry = {"row": error.row, "column": error.column, "msgid": str(error.message)}
    if error.params:
        entry["params"] = error.params
    return entry


def _records(
    sheet: Sheet, chosen: Chosen
) -> Iterator[tuple[int, CaseRecord | None, list[RowError]]]:
    parse = _cells_parser(chosen)
    key_prefix = f"{chosen.name}:{chosen.layout}:"
    text_prefix = f"{chosen.name}\x1f{chosen.layout}\x1f"
    for number, cells in sheet.rows:
        record, errors = parse(cells, number)
        if record is not None:
            if not record.source_key:
                record.source_key = f"{key_prefix}{number}"
            row_text = text_prefix + "\x1f".join(cells)
            record.fingerprint = hashlib.sha256(row_text.encode()).hexdigest()
        yield number, record, errors


def _cells_parser(chosen: Chosen):
    """The format's own parser of a row's cells, if it has one; else one through a dict."""
    made = getattr(chosen.module, "cells_parser", None)
    parse = made(chosen.columns, chosen.layout) if made else None
    if parse is not None:
        return parse
    columns, parse_row, layout = chosen.columns, chosen.module.parse_row, chosen.layout

    def parse_values(cells: list[str], row: int):
        return parse_row(dict(zip(columns, cells, strict=False)), row=row, layout=layout)

    return parse_values


class _Rejected(Exception):
    """Raised inside the transaction to undo every batch once a row error is found."""


def import_file(
    *,
    path: Path,
    owner: Institution,
    requested: str = "auto",
    actor=None,
    job_id=None,
    foreign_confirmed: bool = False,
) -> ImportResult:
    """Import `path` into `owner`'s cases. With any row error nothing is written.

    Unless `foreign_confirmed`, a national institution's file is read once before anything is
    written to count the countries its rows concern; when it needs a confirmation
    (shares.py) the result is `held` and nothing is written. Then one pass: rows are written
    in batches while no error has been seen; after the first error the rest is only checked,
    and the transaction is rolled back at the end.
    """
    sheet = open_sheet(path)  # checked against the import limits before any row is read
    chosen = format_choose(sheet.header, requested)
    result = ImportResult(format=f"{chosen.name}:{chosen.layout}")
    tally = (
        CountryTally(owner.country_id) if confirmation_applies(owner, foreign_confirmed) else None
    )
    if steps_used():
        # SQLite locks the whole database: checked first, then written in short steps.
        sheets = [sheet]  # the checking pass reads this one, the writing pass a new one
        counting = [tally]  # the checking pass counts the countries

        def rows(writer, job, into: ImportResult) -> None:
            opened = sheets.pop() if sheets else open_sheet(path)
            count = counting.pop() if counting else None
            _import_rows(path, opened, chosen, writer, job, into, count)

        def proceed() -> bool:
            return not _held(result, tally, chosen)

        with _no_cyclic_gc():
            import_in_steps(
                owner=owner,
                actor=actor,
                job_id=job_id,
                result=result,
                rows=rows,
                audit=_audit_import,
                proceed=proceed,
            )
        return result
    if tally is not None:
        # PostgreSQL writes as it reads: the countries are counted in a reading of their own.
        with _no_cyclic_gc():
            _import_rows(
                path, sheet, chosen, Discard(), job_id, result, tally, JobStatus.VALIDATING
            )
        if not result.ok or _held(result, tally, chosen):
            return result
        checked = result.country_check
        sheet, result = open_sheet(path), ImportResult(format=result.format)
        result.country_check = checked
    try:
        with _no_cyclic_gc(), transaction.atomic():
            with _constraints_checked_per_statement(), BatchWriter(owner, actor) as writer:
                _import_rows(path, sheet, chosen, writer, job_id, result)
            result.summary = writer.summary
            if not result.ok:
                raise _Rejected
            _audit_import(owner, actor, job_id, result)
            if result.summary.created or result.summary.updated:
                # Encoded in the owner's scope once committed, then matched across borders.
                encodings_owner_sync_after_commit(owner.pk)
    except _Rejected:
        result.summary = WriteSummary()
    return result


def _held(result: ImportResult, tally: CountryTally | None, chosen: Chosen) -> bool:
    """After every row was read and counted: whether the import waits for a confirmation."""
    if tally is None:
        return False
    result.country_check = tally.check(chosen.name)
    result.held = result.ok and confirmation_needed(result.country_check)
    return result.held


@contextmanager
def _no_cyclic_gc():
    """Python's cycle collector off while rows stream through.

    An import allocates millions of short-lived objects and holds a batch of records at a
    time, which makes the collector walk them over and over (a quarter of the CPU time of a
    CTDC import). Parsed records hold no reference cycles, so reference counting frees them;
    the collector is back on, as it was, when the import ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _constraints_checked_per_statement():
    """On PostgreSQL, check foreign keys at the end of each bulk statement, not at commit.

    Django declares them DEFERRABLE INITIALLY DEFERRED; deferred, the server queues one
    event per checked row (about 730,000 for CTDC's file, held in server memory) and checks
    them all while the client waits for COMMIT. Checked per statement they run while the
    writer thread's statement is in flight and the reader goes on parsing. Every check still
    runs; parents are always written before their children. On error the enclosing atomic
    block's rollback restores the deferred mode.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _import_rows(
    path,
    sheet: Sheet,
    chosen,
    writer: BatchWriter | Discard,
    job_id,
    result: ImportResult,
    tally: CountryTally | None = None,
    phase: str = JobStatus.WRITING,
) -> None:
    batch: list[CaseRecord] = []
    expected = None
    if job_id:  # an XLSX's was counted when it was checked; openpyxl would parse it again
        expected = sheet.rows_estimate
        expected = data_rows_estimate(path) if expected is None else expected
    for _number, record, errors in _records(sheet, chosen):
        if record is None and not errors:
            continue  # a row the format skips, such as a template's row of labels
        result.rows += 1
        if errors:
            result.error_count += len(errors)
            room = max(MAX_REPORTED_ERRORS - len(result.errors), 0)
            result.errors += [error_entry(e) for e in errors[:room]]
        elif result.ok:
            if tally is not None:
                tally.add(record)
            batch.append(record)
            if len(batch) == BATCH:
                writer.put(batch)
                batch = []
        if job_id and result.rows % PROGRESS_EVERY == 0:
            total = max(expected, result.rows) if expected is not None else None
            progress_set(job_id, phase=phase, done=result.rows, total=total)
    if batch and result.ok:
        writer.put(batch)


def _audit_import(owner, actor, job_id, result: ImportResult) -> None:
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="cases.case",
        subject_country=owner.country_id or "",
        subject_institution=owner.code,
        purpose="import",
        detail={
            "import": str(job_id or ""),
            "format": result.format,
            "created": result.summary.created,
            "updated": result.summary.updated,
            "unchanged": result.summary.unchanged,
        },
    )


def import_job_run(job: ImportJob) -> ImportJob:
    """Run a queued job to its end, recording the outcome; the uploaded file is then deleted.

    Every way it can end reaches the job: a bad row, a refused or damaged file, and any
    unexpected error, which leaves the job failed with a translated message (and nothing
    written: the import is one transaction), never running for ever. A file that waits for
    the user's confirmation (shares.py) is kept until they confirm or cancel it.
    """
    path = Path(job.stored_path)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.VALIDATING)
    progress_set(job.pk, phase=JobStatus.VALIDATING, done=0)
    keep_file = False
    try:
        result = import_file(
            path=path,
            owner=job.owner,
            requested=job.requested_format,
            actor=job.requested_by,
            job_id=job.pk,
            foreign_confirmed=job.foreign_confirmed,
        )
    except Exception as error:  # noqa: BLE001 - recorded on the job, which is what users see
        if not isinstance(error, InvalidInput):
            # The type and where, never the text: an exception's text may quote the file.
            where = "".join(traceback.format_tb(error.__traceback__))
            logger.error("import %s failed: %s\n%s", job.pk, type(error).__name__, where)
        job.status, job.failure_code = JobStatus.FAILED, failure_code(error)
        job.errors, job.error_count = [failure_entry(error)], 1
    else:
        job.detected_format = result.format
        job.rows_total = result.rows
        job.error_count = result.error_count
        job.errors = result.errors
        job.created_count = result.summary.created
        job.updated_count = result.summary.updated
        job.unchanged_count = result.summary.unchanged
        job.created_case_ranges = result.summary.created_ranges
        if result.country_check:
            job.country_check = result.country_check
        if result.held:
            job.status, keep_file = JobStatus.CONFIRM, True
        else:
            job.status = JobStatus.DONE if result.ok else JobStatus.REJECTED
    finally:
        if not keep_file:
            path.unlink(missing_ok=True)
    if not keep_file:
        job.finished_at = timezone.now()
    job.save()
    progress_set(job.pk, phase=job.status, done=job.rows_total, total=job.rows_total)
    return job


def failure_code(error: Exception) -> str:
    return error.code if isinstance(error, InvalidInput) else "unexpected"


def failure_entry(error: Exception) -> dict:
    """Why a whole import failed, stored as row errors are (msgid, params), never a value."""
    if isinstance(error, FileRefused):
        entry = {"row": error.row, "column": error.column, "msgid": error.msgid}
        if error.params:
            entry["params"] = error.params
        return entry
    if isinstance(error, InvalidInput):
        with translation.override("en"):
            return {"row": 0, "column": "", "msgid": str(error.message)}
    return {"row": 0, "column": "", "msgid": UNEXPECTED_FAILURE}

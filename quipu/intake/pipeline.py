"""Writing an import's batches on a second thread, so that parsing and writing overlap.

Reading a row (Python, holding the GIL) and storing it (the database's work: SQLite's B-trees,
or PostgreSQL's server across a socket) can run at the same time, because sqlite3 and psycopg
release the GIL while the database works. The writer thread borrows the importing thread's
connection, and so its transaction: an import stays one transaction, all or nothing. The
queue holds one batch, so memory stays flat: one batch parsing, one waiting, one writing.
"""

import queue
import sys
import threading

from django.db import DEFAULT_DB_ALIAS, connections

from quipu.intake.records import CaseRecord
from quipu.intake.writer import WriteSummary, records_write
from quipu.tenancy.models import Institution

_DONE = None

# While a writer runs, threads take turns with the GIL every 0.1 ms instead of every 5 ms.
# Each statement the writer runs gives the GIL away while the database works; getting it back
# meant waiting out the reader's whole turn, so the two rarely ran at once. CTDC's file on
# SQLite, median of 8 runs: 21,800 rows/s at 5 ms, 27,100 at 0.1 ms (docs/decisions.md).
SWITCH_INTERVAL = 0.0001
_switching = threading.Lock()
_writers_running = 0
_switch_interval_before = sys.getswitchinterval()


def _quick_switches_start() -> None:
    global _writers_running, _switch_interval_before
    with _switching:
        if _writers_running == 0:
            _switch_interval_before = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)
        _writers_running += 1


def _quick_switches_end() -> None:
    global _writers_running
    with _switching:
        _writers_running -= 1
        if _writers_running == 0:
            sys.setswitchinterval(_switch_interval_before)


class BatchWriter:
    """`put` hands a batch to the writer thread; leaving the block waits for every batch and
    raises the writer's error, if any. The caller must not use the connection meanwhile."""

    def __init__(
        self, owner: Institution, actor=None, *, using: str = DEFAULT_DB_ALIAS, write=None
    ):
        self.summary = WriteSummary()
        self._owner, self._actor, self._using = owner, actor, using
        self._write = write or records_write  # or a step of an import written in steps
        self._connection = connections[using]
        self._batches: queue.Queue[list[CaseRecord] | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="quipu-import-writer", daemon=True)

    def __enter__(self) -> "BatchWriter":
        self._connection.inc_thread_sharing()
        _quick_switches_start()
        self._thread.start()
        return self

    def put(self, batch: list[CaseRecord]) -> None:
        self._raise_error()
        self._batches.put(batch)

    def __exit__(self, kind, error, traceback) -> None:
        self._batches.put(_DONE)
        self._thread.join()
        _quick_switches_end()
        self._connection.dec_thread_sharing()
        if error is None:
            self._raise_error()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        connections[self._using] = self._connection
        try:
            while (batch := self._batches.get()) is not _DONE:
                if self._error is not None:
                    continue  # drain, so that the reader never blocks on a full queue
                try:
                    written = self._write(owner=self._owner, records=batch, actor=self._actor)
                except BaseException as error:  # noqa: BLE001 - raised again in the reader
                    self._error = error
                else:
                    self.summary.add(written)
        finally:
            del connections[self._using]

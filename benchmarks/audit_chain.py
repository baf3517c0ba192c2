"""Audit log cost: appending a hash-chained row, and re-walking the chain with `verify`.

Anchors, measured in the same run on the same database: a plain INSERT of the same row
without chaining (for appends), and a plain read of all rows without hashing (for verify).
"""

import tempfile
import time
from pathlib import Path

from benchmarks.common import django_on_sqlite

ROWS = 5000


def run() -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="quipu-bench-audit-"))
    django_on_sqlite(workdir / "bench.sqlite3")
    from django.utils import timezone

    from benchmarks.common import write_result
    from quipu.audit.chain import chain_verify
    from quipu.audit.models import Action, AuditEntry
    from quipu.audit.services import audit_record

    started = time.perf_counter()
    for index in range(ROWS):
        audit_record(actor=None, action=Action.READ, object_type="bench.row", object_id=str(index))
    chained = time.perf_counter() - started

    started = time.perf_counter()
    for index in range(ROWS):
        AuditEntry(
            seq=ROWS + index + 1,
            at=timezone.now(),
            action="read",
            object_type="bench.plain",
            object_id=str(index),
            prev_hash="0" * 64,
            hash=f"{index:064x}",
        ).save(force_insert=True)
    plain = time.perf_counter() - started

    started = time.perf_counter()
    rows = sum(1 for _ in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000))
    read_all = time.perf_counter() - started
    started = time.perf_counter()
    report = chain_verify()  # walks all rows; breaks at the plain ones, after the chained part
    verify = time.perf_counter() - started
    assert report.checked == ROWS and rows == 2 * ROWS

    return write_result(
        "audit_chain",
        {
            "anchor": "plain INSERT of the same row (appends); plain read of the rows (verify)",
            "rows": ROWS,
            "database": "sqlite (WAL)",
            "append_chained_rows_per_second": round(ROWS / chained),
            "append_plain_rows_per_second": round(ROWS / plain),
            "append_ratio_chained_to_plain": round(chained / plain, 2),
            "verify_seconds_for_rows": round(verify, 3),
            "verify_ratio_to_plain_read_per_row": round((verify / ROWS) / (read_all / rows), 2),
            "summary": f"chained append {ROWS / chained:.0f} rows/s = {chained / plain:.2f} x "
            f"a plain insert; verify {verify:.2f} s for {ROWS} rows",
        },
    )

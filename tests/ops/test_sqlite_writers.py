"""Issue 13, finding 7: one upload took the site down on SQLite.

An import held SQLite's one write lock for the whole file, so every other writer waited and
then failed with "database is locked". Now the rows are checked first and written in short
steps (quipu/intake/staged.py): other writers get in between the steps, none of them fails,
and the import still lands whole, with the audit chain intact.
"""

import json
import time

from tests.ops.sites import ctdc_prefix, sqlite_site, wait_for

ROWS = 30_000
# A user's request that writes: an audit row, as every read of personal data does, and a look
# at how many of the importing institution's cases it sees at that moment.
WRITER = """
import json, time
from pathlib import Path
from django.db import OperationalError, transaction
from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.models import Case
seen, failures = [], []
Path({ready!r}).touch()
deadline = time.monotonic() + 600
while not Path({stop!r}).exists() and time.monotonic() < deadline and len(seen) < 50_000:
    try:
        with transaction.atomic():
            audit_record(actor=None, action=Action.READ, object_type="cases.case",
                         purpose="writer test")
            seen.append(Case.objects.filter(owner__code="IOM").count())
    except OperationalError as error:
        failures.append(str(error))
    time.sleep(0.05)
Path({out!r}).write_text(json.dumps({{"seen": seen, "failures": failures}}))
"""


def test_rule4_on_sqlite_writers_get_in_between_an_imports_steps_and_none_sees_a_locked_database(
    tmp_path,
):
    with sqlite_site(tmp_path) as site:
        site.build()
        ctdc = ctdc_prefix(tmp_path / "ctdc.csv", ROWS)
        ready, stop, out = (tmp_path / name for name in ("ready", "stop", "out.json"))
        code = WRITER.format(ready=str(ready), stop=str(stop), out=str(out))
        writer = site.start("shell", "-c", code, name="writer")
        wait_for(ready.exists, what="the writer to start")

        started = time.monotonic()
        site.quipu("import", str(ctdc), "--institution", "IOM")
        stop.touch()
        assert writer.wait(timeout=120) == 0
        written = json.loads(out.read_text())

        assert written["failures"] == []
        # Writes landed while the import was half way: it no longer holds the lock throughout.
        assert any(0 < count < ROWS for count in written["seen"]), (
            f"no write got in during the {time.monotonic() - started:.0f} s import"
        )
        assert site.python(
            "from quipu.cases.models import Case\n"
            "answer = [Case.objects.filter(owner__code='IOM').count(),"
            " Case.objects.filter(source_hash__startswith='pending:').count()]"
        ) == [ROWS, 0]
        assert site.quipu("audit", "verify", check=False).returncode == 0

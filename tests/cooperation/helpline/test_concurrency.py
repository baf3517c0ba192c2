"""Two focal points triage the same report at once: the first wins, the second fails cleanly
(InvalidTransition, 409) and nothing of it is written.

The threaded race needs PostgreSQL: the test run's SQLite database is in memory with a shared
cache, where a second writer gets "table is locked" at once instead of waiting as a file
database in WAL mode with BEGIN IMMEDIATE and a busy timeout does; there each transaction of a
triage re-reads the state after the first one committed. The page test runs on both."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from quipu.cooperation.helpline import triage
from quipu.cooperation.helpline.models import HelplineReport, State
from quipu.errors import InvalidTransition
from tests.cooperation.helpline.conftest import logged

pytestmark = pytest.mark.django_db


def _in_thread(target, results: dict, name: str) -> threading.Thread:
    def run():
        try:
            results[name] = target()
        except Exception as error:  # noqa: BLE001  the test inspects what each thread got
            results[name] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_second_triage_of_the_same_report_fails_cleanly(region):
    if connection.vendor != "postgresql":
        pytest.skip("run with QUIPU_DATABASE_URL=postgresql://...")
    report = logged("CO")
    focal = region.user("focal.co")
    first_done, release = threading.Event(), threading.Event()
    results: dict = {}

    def close_and_hold():
        # The first triage is written but not committed while the second one starts.
        with transaction.atomic():
            triage.report_close(actor=focal, report=report, reason="Broma telefónica.")
            first_done.set()
            release.wait(10)
        return "closed"

    def lead():
        first_done.wait(10)
        police = region.institution("CO-POLICE")
        return triage.report_lead_assign(actor=focal, report=report, institution=police)

    threads = [_in_thread(close_and_hold, results, "first"), _in_thread(lead, results, "second")]
    first_done.wait(10)
    time.sleep(0.5)  # the second reaches the row lock (PostgreSQL) or the write lock (SQLite)
    release.set()
    for thread in threads:
        thread.join(20)
    assert results["first"] == "closed"
    assert isinstance(results["second"], InvalidTransition)
    report = HelplineReport.objects.get(pk=report.pk)
    assert report.state == State.CLOSED and report.assigned_to is None
    assert [step.action for step in report.history.all()] == ["log", "close"]


def test_a_second_triage_through_the_page_answers_409_with_the_message(region, client):
    report = logged("CO")
    client.force_login(region.user("focal.co"))
    close = reverse("helpline:triage", args=[report.pk, "close"])
    assert client.post(close, {"close-reason": "Broma."}).status_code == 302
    lead = reverse("helpline:triage", args=[report.pk, "lead"])
    police = region.institution("CO-POLICE")
    response = client.post(lead, {"lead-institution": police.pk})
    assert response.status_code == 409
    # Spanish is the default language.
    assert "Esta acción no es posible en el estado actual del registro." in (
        response.content.decode()
    )
    report.refresh_from_db()
    assert report.state == State.CLOSED and report.assigned_to is None

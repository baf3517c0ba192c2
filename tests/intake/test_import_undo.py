"""An import is undone as a whole from its page within 30 days, by its importer or their focal
point, audited, leaving the database as it was before (issue 14, item 2)."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from quipu.audit.models import Action, AuditEntry
from quipu.cases.models import (
    Case,
    CaseSearchText,
    Consent,
    Identifier,
    Person,
    RouteEvent,
    Victim,
)
from quipu.cases.services import case_update
from quipu.intake.models import ImportJob, JobStatus
from quipu.linkage.models import PersonEncoding
from tests.conftest import background_tasks_run
from tests.intake.conftest import template_row, write_template

pytestmark = pytest.mark.django_db

TABLES = (Case, Person, Victim, Identifier, RouteEvent, Consent, CaseSearchText)


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in TABLES)


@pytest.fixture
def imported(login, region, django_capture_on_commit_callbacks):
    """Upload a file as `username` into Peru's police; the worker imports it and encodes."""

    def upload(path, username: str = "caseworker.pe") -> ImportJob:
        client = login(username)
        with path.open("rb") as handle:
            client.post(
                reverse("intake:import_start"),
                {
                    "file": handle,
                    "institution": region.institution("PE-POLICE").pk,
                    "format": "auto",
                },
            )
        with django_capture_on_commit_callbacks(execute=True):
            background_tasks_run()  # the import; its commit queues the encoding
        background_tasks_run()  # the encoding of its people
        job = ImportJob.objects.latest("created_at")
        assert job.status == JobStatus.DONE, job.errors
        return job

    return upload
    job = ImportJob.objects.latest("created_at")
    assert job.status == JobStatus.DONE, job.errors
    return job


def _rows(tmp_path, prefix: str, count: int = 3, name: str = "casos.csv"):
    rows = [
        template_row(case_reference=f"{prefix}-{n}", victim_first_name=f"Yesenia{n}")
        for n in range(count)
    ]
    return write_template(tmp_path / name, rows)


def _undo(client, job, **data):
    answer = client.post(
        reverse("intake:import_undo", args=[job.pk]),
        {"confirm": "on", **data},
        HTTP_ACCEPT_LANGUAGE="es",
        follow=True,
    )
    return answer


def test_undo_removes_every_case_the_import_added_with_their_people_and_encodings(
    login, imported, region, tmp_path
):
    client = login("caseworker.pe")
    before = _counts()
    job = imported(_rows(tmp_path, "PE-UNDO"))
    people = list(Person.objects.filter(victim_contexts__case__reference__startswith="PE-UNDO"))
    assert _counts() != before and len(people) == 3
    assert PersonEncoding.objects.filter(person_id__in=[p.pk for p in people]).count() == 3
    page = client.get(reverse("intake:import_detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert "Deshacer la importación" in page.content.decode()

    answer = _undo(client, job)

    assert "se eliminaron 3 casos" in answer.content.decode()
    assert _counts() == before
    assert not PersonEncoding.objects.filter(person_id__in=[p.pk for p in people]).exists()
    job.refresh_from_db()
    assert job.status == JobStatus.UNDONE and job.undone_by == region.user("caseworker.pe")
    entry = AuditEntry.objects.get(action=Action.DELETE, purpose="import undo")
    assert entry.detail == {"import": str(job.pk), "cases": 3, "people": 3}
    assert entry.subject_institution == "PE-POLICE"
    assert "Yesenia" not in json.dumps(entry.detail) + entry.object_id

    again = _undo(client, job)
    assert "Esta importación ya se deshizo." in again.content.decode()


def test_cases_that_were_there_before_stay_when_an_import_is_undone(login, imported, tmp_path):
    client = login("caseworker.pe")
    first = imported(_rows(tmp_path, "PE-KEEP", 2, "first.csv"))
    assert first.created_count == 2
    # The second file repeats those two rows unchanged and adds one: only that one goes.
    second_path = _rows(tmp_path, "PE-KEEP", 3, "second.csv")
    second = imported(second_path)
    assert (second.created_count, second.unchanged_count) == (1, 2)

    _undo(client, second)

    assert list(
        Case.objects.filter(reference__startswith="PE-KEEP")
        .order_by("reference")
        .values_list("reference", flat=True)
    ) == ["PE-KEEP-0", "PE-KEEP-1"]


def test_an_import_that_replaced_cases_cannot_be_undone(login, imported, tmp_path):
    client = login("caseworker.pe")
    imported(_rows(tmp_path, "PE-REPL", 1, "first.csv"))
    changed = template_row(case_reference="PE-REPL-0", victim_first_name="Otra")
    second = imported(write_template(tmp_path / "second.csv", [changed]))
    assert second.updated_count == 1

    answer = _undo(client, second)

    assert "sus versiones anteriores no se conservan" in answer.content.decode()
    assert Case.objects.filter(reference="PE-REPL-0").exists()
    second.refresh_from_db()
    assert second.status == JobStatus.DONE


def test_undo_is_refused_after_30_days(login, imported, tmp_path):
    client = login("caseworker.pe")
    job = imported(_rows(tmp_path, "PE-OLD", 1))
    ImportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=31)
    )
    job.refresh_from_db()

    answer = _undo(client, job)

    assert "se puede deshacer durante 30 días" in answer.content.decode()
    assert Case.objects.filter(reference="PE-OLD-0").exists()


def test_undo_is_refused_once_a_case_of_the_import_was_edited(login, imported, region, tmp_path):
    client = login("caseworker.pe")
    job = imported(_rows(tmp_path, "PE-EDIT", 2))
    case = Case.objects.get(reference="PE-EDIT-1")
    case_update(actor=region.user("caseworker.pe"), case=case, fields={"status": "Closed"})

    answer = _undo(client, job)

    assert "se modificaron o usaron desde entonces" in answer.content.decode()
    assert Case.objects.filter(reference__startswith="PE-EDIT").count() == 2


def test_only_the_importer_or_their_focal_point_may_undo(login, imported, region, tmp_path):
    job = imported(_rows(tmp_path, "PE-WHO", 1))

    other = login("caseworker.co")
    response = other.post(reverse("intake:import_undo", args=[job.pk]), {"confirm": "on"})
    assert response.status_code == 404
    assert Case.objects.filter(reference="PE-WHO-0").exists()

    _undo(login("focal.pe"), job)
    assert not Case.objects.filter(reference="PE-WHO-0").exists()
    job.refresh_from_db()
    assert job.undone_by == region.user("focal.pe")


def test_undo_leaves_no_encoding_and_withdraws_undecided_notices_on_the_removed_people(
    login, imported, region, tmp_path
):
    from quipu.linkage.models import LinkRun, MatchNotice
    from quipu.linkage.services import encodings_refresh

    job = imported(_rows(tmp_path, "PE-NOTICE", 1))
    mine = PersonEncoding.objects.get(
        person_id=Victim.objects.get(case__reference="PE-NOTICE-0").person_id
    )
    venezuelan = Victim.objects.get(case__reference="VE-TEST-1").person_id
    encodings_refresh([venezuelan])
    theirs = PersonEncoding.objects.get(person_id=venezuelan)
    low, high = sorted([mine.pk, theirs.pk])
    run = LinkRun.objects.create(kind="full", status="done")
    notice = MatchNotice.objects.create(
        encoding_low=low, encoding_high=high, match_probability=0.99, first_run=run, last_run=run
    )

    _undo(login("caseworker.pe"), job)

    notice.refresh_from_db()
    assert notice.status == MatchNotice.Status.WITHDRAWN
    assert not PersonEncoding.objects.filter(pk=mine.pk).exists()
    assert PersonEncoding.objects.filter(pk=theirs.pk).exists()  # the other country's stays

"""Issue 13, finding 5: an export's file is re-checked against the requester's rights at each
download (rule 7), expires (24 h unless set), is deleted by the daily job, and is owner-only."""

import os
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from quipu.audit.models import Action, AuditEntry
from quipu.intake.export_files import ExportExpired
from quipu.intake.models import ExportJob, JobStatus
from quipu.tenancy.models import MembershipRole
from quipu.tenancy.roles import Role
from tests.conftest import background_tasks_run

pytestmark = pytest.mark.django_db


def _export(client) -> ExportJob:
    response = client.post(reverse("intake:export_start"), {"export_format": "csv"})
    assert response.status_code == 302
    background_tasks_run()
    job = ExportJob.objects.latest("created_at")
    assert job.status == JobStatus.DONE
    return job


def _download(client, job):
    return client.get(reverse("intake:export_download", args=[job.pk]))


def _roles_set(user, *roles: Role) -> None:
    MembershipRole.objects.filter(membership=user.membership).delete()
    for role in roles:
        MembershipRole.objects.create(membership=user.membership, role=role)


def _denials_of(job) -> int:
    return AuditEntry.objects.filter(action=Action.DENIED, object_id=str(job.pk)).count()


def test_rule7_download_is_refused_and_audited_once_the_requesters_role_is_removed(login, region):
    client = login("focal.co")
    job = _export(client)
    _roles_set(region.user("focal.co"))
    assert _download(client, job).status_code == 403
    assert _denials_of(job) == 1
    assert not AuditEntry.objects.filter(action=Action.EXPORT, detail__download=True).exists()


def test_rule7_a_user_who_lost_personal_access_cannot_download_a_file_with_personal_fields(
    login, region
):
    client = login("caseworker.co")
    personal_job = _export(client)
    assert personal_job.includes_personal
    _roles_set(region.user("caseworker.co"), Role.ANALYST)
    response = _download(client, personal_job)
    assert response.status_code == 403
    assert "NombreCO" not in response.content.decode()
    assert _denials_of(personal_job) == 1
    # What the analyst may read now, they may still export and download.
    deidentified_job = _export(client)
    assert not deidentified_job.includes_personal
    assert _download(client, deidentified_job).status_code == 200


def test_rule7_a_user_moved_to_another_country_cannot_download_their_old_export(login, region):
    client = login("analyst.co")
    job = _export(client)
    membership = region.user("analyst.co").membership
    membership.institution = region.institution("PE-POLICE")
    membership.save()
    assert _download(client, job).status_code == 403
    assert _denials_of(job) == 1


def test_an_unchanged_requester_downloads_and_the_download_is_audited(login, region):
    client = login("caseworker.co")
    job = _export(client)
    response = _download(client, job)
    assert response.status_code == 200
    assert b"NombreCO" in b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action=Action.EXPORT, detail__download=True)
    assert entry.object_id == str(job.pk) and entry.detail["personal"] is True


def test_an_export_expires_after_24_hours_and_the_daily_job_deletes_its_file(login, region):
    client = login("focal.ar")
    old, fresh = _export(client), _export(client)
    ExportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    old.refresh_from_db()
    stray = Path(old.stored_path).with_name("stray-half-written.csv")
    stray.write_text("x")
    a_day_ago = (timezone.now() - timedelta(hours=25)).timestamp()
    os.utime(stray, (a_day_ago, a_day_ago))

    # Expired is expired at once, before the daily job has run.
    response = _download(client, old)
    assert response.status_code == 410
    with translation.override("es"):
        assert str(ExportExpired.default_message) in response.content.decode()
    detail = client.get(reverse("intake:export_detail", args=[old.pk])).content.decode()
    assert reverse("intake:export_download", args=[old.pk]) not in detail

    call_command("daily", only=["exports_expire"])
    old.refresh_from_db()
    assert old.stored_path == "" and not list(Path(fresh.stored_path).parent.glob(f"{old.pk}*"))
    assert not stray.exists()
    assert Path(fresh.stored_path).exists() and _download(client, fresh).status_code == 200


def test_the_export_lifetime_is_settable(login, region, settings):
    settings.QUIPU_EXPORT_TTL = timedelta(hours=1)
    client = login("focal.ar")
    job = _export(client)
    ExportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(hours=2))
    assert _download(client, job).status_code == 410


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_export_files_and_their_folder_are_owner_only(login, region):
    job = _export(login("focal.co"))
    folder = Path(job.stored_path).parent
    assert _mode(folder) == 0o700
    assert {p.name: _mode(p) for p in folder.glob(f"{job.pk}*")} == {
        f"{job.pk}.csv": 0o600,
        f"{job.pk}.cases.json": 0o600,
    }


def test_everything_the_quipu_command_creates_under_var_is_owner_only(tmp_path):
    """The real files of a fresh install: the SQLite database (and its WAL), the secret key,
    the cache and static folders, all created by `quipu` itself under a permissive umask."""
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIPU_", "DJANGO_SETTINGS"))}
    env["QUIPU_VAR_DIR"] = str(var)
    quipu = [sys.executable, "-c", "from quipu.manage import main; main()"]
    previous = os.umask(0o022)
    try:
        for command in (["migrate", "-v", "0"], ["daily"]):
            subprocess.run([*quipu, *command], env=env, check=True, capture_output=True)
    finally:
        os.umask(previous)
    created = [var, *var.rglob("*")]
    assert var / "quipu.sqlite3" in created and var / "secret_key" in created
    loose = {
        str(p.relative_to(tmp_path)): oct(_mode(p))
        for p in created
        if _mode(p) & 0o077 or (p.is_file() and _mode(p) != 0o600)
    }
    assert not loose

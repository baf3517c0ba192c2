"""Rule 3 and rule 4 for JITs: every change is audited with codes and ids only, notifications
carry a title and an id-only link, and files on disk never bear the uploaded name."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from quipu.audit.models import AuditEntry
from quipu.cases.models import Case
from quipu.cooperation.jits.attachments import attachment_add, attachments_dir
from quipu.cooperation.jits.services import jit_close, jit_invite
from quipu.cooperation.jits.workspace import case_link_add, note_add, task_add
from quipu.notifications.models import Notification
from tests.cooperation.jits.test_workspace import Upload

SECRET_WORDS = "Testigo María Pérez vio al reclutador"


def test_rule3_every_change_of_a_jit_is_audited_with_ids_and_codes_only(region, active):
    co, ve = region.user("prosecutor.co"), region.user("prosecutor.ve")
    note_add(actor=ve, jit=active, text=SECRET_WORDS)
    task_add(actor=ve, jit=active, title=SECRET_WORDS, owner=co, due_on=date(2027, 1, 5))
    case_link_add(actor=co, jit=active, case=Case.objects.get(reference="CO-TEST-1"))
    attachment_add(actor=co, jit=active, upload=Upload("Pérez María.txt", b"texto\n"))
    jit_invite(actor=co, jit=active, institution=region.institution("PE-PROSECUTOR"))
    jit_close(actor=co, jit=active)
    entries = AuditEntry.objects.filter(purpose=f"joint investigation team {active.reference}")
    kinds = {(entry.action, entry.object_type) for entry in entries}
    assert {
        ("create", "jits.jit"),
        ("update", "jits.jit"),  # invitations, answers, activation, closing
        ("create", "jits.note"),
        ("create", "jits.task"),
        ("update", "cases.case"),  # the link, audited on the owner's case
        ("create", "jits.attachment"),
    } <= kinds
    for entry in entries:
        written = str(entry.detail)
        assert "María" not in written and "Pérez" not in written and "reclutador" not in written


def test_rule4_notifications_carry_only_a_title_and_an_id_link(region, active):
    note_add(actor=region.user("prosecutor.co"), jit=active, text=SECRET_WORDS)
    for notification in Notification.objects.filter(kind__startswith="jits."):
        assert notification.url in (
            reverse("jits:detail", args=[active.pk]),
            reverse("jits:list"),
        )


def test_rule4_files_are_kept_outside_the_web_root_under_random_names(
    region, active, attachments_in_tmp
):
    attachment = attachment_add(
        actor=region.user("prosecutor.co"),
        jit=active,
        upload=Upload("Declaración de María Pérez.txt", b"texto\n"),
    )
    (stored,) = attachments_in_tmp.iterdir()
    assert stored.name == attachment.stored_name and len(stored.name) == 40
    assert "maria" not in stored.name.lower()


def test_the_default_attachments_directory_is_under_var_and_not_media(settings_default_dir):
    directory = attachments_dir()
    assert directory == Path(settings.VAR_DIR) / "attachments"
    for root in (getattr(settings, "MEDIA_ROOT", ""), getattr(settings, "STATIC_ROOT", "")):
        if root:
            assert not str(directory).startswith(str(root))


@pytest.fixture
def settings_default_dir(settings, monkeypatch, tmp_path):
    del settings.QUIPU_ATTACHMENTS_DIR
    monkeypatch.delenv("QUIPU_ATTACHMENTS_DIR", raising=False)
    monkeypatch.setenv("QUIPU_VAR_DIR", str(tmp_path))
    settings.VAR_DIR = tmp_path

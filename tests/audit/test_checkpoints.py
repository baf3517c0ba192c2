"""Issue 13, finding 10: signed checkpoints of the head, kept outside the database and by every
focal point, catch a rewrite or a cut that the key alone cannot (a stolen key, a replayed head)."""

import json
import shutil
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from quipu.audit.chain import chain_verify, entry_hash, head_seal
from quipu.audit.checkpoints import (
    CheckpointInvalid,
    checkpoint_file_read,
    checkpoint_files,
    checkpoints_stored,
)
from quipu.audit.keys import audit_keyring
from quipu.audit.models import Action, AuditEntry, AuditHead
from quipu.audit.services import CHECKPOINT_KIND, audit_checkpoint_issue, audit_record
from quipu.notifications.models import Notification
from tests.audit.test_keyed_chain import _chain, _drop_triggers, _reason, _rewrite_from

pytestmark = pytest.mark.django_db


def _with_the_key(row: AuditEntry) -> str:
    """An attacker who stole the audit key re-seals the rows."""
    return entry_hash(row)


def _head_reseal() -> None:
    """...and the head."""
    head = AuditHead.objects.get(pk=1)
    key = audit_keyring().current
    seal = head_seal(seq=head.seq, hash=head.hash, keyed_from=head.keyed_from, key=key)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audithead SET seal = %s WHERE id = 1", [seal])


def test_rule3_the_daily_job_signs_the_head_into_an_owner_only_file(region):
    entries = _chain(5)
    call_command("daily", only=["audit_checkpoint"], verbosity=0)
    [path] = checkpoint_files()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    checkpoint = checkpoint_file_read(path)
    last = AuditEntry.objects.order_by("-seq").first()
    assert (checkpoint.seq, checkpoint.hash) == (last.seq, last.hash)
    assert last.seq >= entries[-1].seq


def test_rule3_every_member_states_focal_point_is_told_to_keep_each_new_checkpoint(region):
    _chain(2)
    assert audit_checkpoint_issue() is not None
    told = set(
        Notification.objects.filter(kind=CHECKPOINT_KIND).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"focal.co", "focal.br", "focal.ar"} <= told
    assert "caseworker.co" not in told
    # The head has not moved: no second file, no second notification.
    before = Notification.objects.filter(kind=CHECKPOINT_KIND).count()
    assert audit_checkpoint_issue() is None
    assert Notification.objects.filter(kind=CHECKPOINT_KIND).count() == before


def test_rule3_a_rewrite_with_the_stolen_key_is_caught_by_the_signed_checkpoint(db):
    entries = _chain(20)
    audit_checkpoint_issue()
    _rewrite_from(entries[9].seq, rehash=_with_the_key)
    _head_reseal()
    report = chain_verify(checkpoints_stored())
    assert not report.intact
    assert report.broken_seq == entries[-1].seq
    assert "checkpoint" in _reason(report)


def test_rule3_a_head_replayed_over_a_cut_tail_is_caught_by_the_signed_checkpoint(db):
    entries = _chain(20)
    saved_head = AuditHead.objects.values().get(pk=1)  # an old copy of the head row
    more = _chain(5)
    audit_checkpoint_issue()
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq > %s", [entries[-1].seq])
        cursor.execute(
            "UPDATE audit_audithead SET seq = %s, hash = %s, seal = %s WHERE id = 1",
            [saved_head["seq"], saved_head["hash"], saved_head["seal"]],
        )
    assert chain_verify().intact  # the key alone cannot tell
    report = chain_verify(checkpoints_stored())
    assert report.broken_seq == more[0].seq
    assert "missing" in _reason(report)


def test_rule3_verify_takes_a_focal_points_copy_when_the_servers_checkpoints_are_gone(
    db, tmp_path, audit_checkpoints_apart
):
    entries = _chain(20)
    kept = tmp_path / "kept-by-focal-point.json"
    shutil.copy(audit_checkpoint_issue(), kept)
    for path in checkpoint_files():  # the attacker also had the server's files
        path.unlink()
    _rewrite_from(entries[9].seq, rehash=_with_the_key)
    _head_reseal()
    call_command("audit", "verify")
    with pytest.raises(CommandError) as failure, translation.override("en"):
        call_command("audit", "verify", checkpoint=[str(kept)])
    assert f"#{entries[-1].seq}:" in str(failure.value)
    assert "checkpoint" in str(failure.value)


def test_rule3_a_forged_checkpoint_is_refused_naming_the_file(db, tmp_path):
    _chain(3)
    forged = tmp_path / "forged.json"
    document = json.loads(audit_checkpoint_issue().read_text())
    document["seq"] = 1
    forged.write_text(json.dumps(document))
    with pytest.raises(CheckpointInvalid):
        checkpoint_file_read(forged)
    with pytest.raises(CommandError) as failure, translation.override("en"):
        call_command("audit", "verify", checkpoint=[str(forged)])
    assert "forged.json" in str(failure.value)
    assert "signature" in str(failure.value)


def test_rule3_no_checkpoint_is_signed_over_a_broken_chain(db):
    entries = _chain(5)
    _rewrite_from(entries[2].seq, rehash=lambda row: row.hash)
    assert audit_checkpoint_issue() is None
    assert checkpoint_files() == []
    with pytest.raises(CommandError):
        call_command("audit", "checkpoint")


def test_focal_point_downloads_checkpoints_and_the_public_key(region, login):
    audit_record(actor=None, action=Action.BAD_REQUEST, detail={"n": 1})
    path = audit_checkpoint_issue()
    client = login("focal.co")
    page = client.get(reverse("audit:checkpoints"))
    assert page.status_code == 200
    assert path.name in page.content.decode()
    download = client.get(reverse("audit:checkpoint_download", args=[path.name]))
    assert b"".join(download.streaming_content) == path.read_bytes()
    pem = client.get(reverse("audit:public_key")).content.decode()
    assert pem == call_command_output("public-key")
    for name in ("secret_key", "audit-checkpoint-000000999999.json"):
        assert client.get(reverse("audit:checkpoint_download", args=[name])).status_code == 404


def test_caseworker_cannot_reach_the_checkpoints(region, login):
    audit_record(actor=None, action=Action.BAD_REQUEST, detail={"n": 1})
    path = audit_checkpoint_issue()
    client = login("caseworker.co")
    for url in (
        reverse("audit:checkpoints"),
        reverse("audit:checkpoint_download", args=[path.name]),
        reverse("audit:public_key"),
    ):
        assert client.get(url).status_code == 403


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()

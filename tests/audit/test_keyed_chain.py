"""Issue 13, finding 10: someone with database write access can no longer rewrite the chain.

The attacker drops the triggers, changes a row, recomputes the hashes after it and moves the
head, or cuts the tail and moves the head back. Without the audit key (outside the database),
`quipu audit verify` names the first bad row; signed checkpoints catch the rest.
"""

import hashlib
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from quipu.audit.chain import GENESIS, chain_verify, entry_content, entry_hash, head_seal
from quipu.audit.keys import audit_keyring
from quipu.audit.models import Action, AuditEntry, AuditHead
from quipu.audit.services import audit_record
from quipu.audit.triggers import trigger_sql

pytestmark = pytest.mark.django_db

ROWS = 120


def _chain(count: int = ROWS) -> list[AuditEntry]:
    return [
        audit_record(actor=None, action=Action.BAD_REQUEST, detail={"n": number})
        for number in range(count)
    ]


def _drop_triggers():
    with connection.cursor() as cursor:
        for statement in trigger_sql(connection.vendor, install=False):
            cursor.execute(statement)


def _store(row: AuditEntry) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET purpose = %s, prev_hash = %s, hash = %s, key_id = %s "
            "WHERE id = %s",
            [row.purpose, row.prev_hash, row.hash, row.key_id, row.pk],
        )


def _head_move(seq: int, hash: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audithead SET seq = %s, hash = %s WHERE id = 1", [seq, hash])


def _rewrite_from(seq: int, *, rehash, drop_key: bool = False, through: int | None = None):
    """Change row `seq`, recompute every hash after it with `rehash`, and move the head."""
    _drop_triggers()
    previous = AuditEntry.objects.filter(seq=seq - 1).first()
    prev_hash = previous.hash if previous else GENESIS
    rows = AuditEntry.objects.filter(seq__gte=seq).order_by("seq")
    if through is not None:
        rows = rows.filter(seq__lte=through)
    for row in rows:
        if row.seq == seq:
            row.purpose = "nothing to see"
        if drop_key:
            row.key_id = None
        row.prev_hash = prev_hash
        row.hash = rehash(row)
        _store(row)
        prev_hash = row.hash
    if through is not None:
        return
    if not drop_key:
        _head_move(row.seq, row.hash)
        return
    # Without the key the attacker also declares every row plain, as before the key existed.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_audithead SET seq = %s, hash = %s, keyed_from = %s WHERE id = 1",
            [row.seq, row.hash, row.seq + 1],
        )


def _plain_sha256(row: AuditEntry) -> str:
    """What the attacker of issue 13 did: the published, unkeyed hash."""
    return hashlib.sha256(row.prev_hash.encode() + entry_content(row)).hexdigest()


def _cut_tail_after(entry: AuditEntry) -> None:
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq > %s", [entry.seq])
    _head_move(entry.seq, entry.hash)


def _reason(report) -> str:
    with translation.override("en"):
        return str(report.reason)


def test_rule3_new_rows_are_sealed_with_the_audit_key_kept_outside_the_database(db):
    entry = _chain(1)[0]
    key = audit_keyring().current
    assert entry.key_id == key.key_id
    assert entry.hash == key.mac(entry.prev_hash.encode() + entry_content(entry))
    assert entry.hash != _plain_sha256(entry)
    head = AuditHead.objects.get(pk=1)
    assert head.seal == head_seal(seq=1, hash=entry.hash, keyed_from=1, key=key)


def test_rule3_a_rewrite_with_recomputed_plain_hashes_and_moved_head_is_caught_at_its_row(db):
    entries = _chain()
    target = entries[99]
    _rewrite_from(target.seq, rehash=_plain_sha256)
    report = chain_verify()
    assert not report.intact
    assert report.broken_seq == target.seq
    assert "altered" in _reason(report)


def test_rule3_a_rewrite_that_declares_the_rows_unkeyed_is_caught_at_its_row(db):
    entries = _chain()
    target = entries[99]
    _rewrite_from(target.seq, rehash=_plain_sha256, drop_key=True)
    report = chain_verify()
    assert report.broken_seq == target.seq
    assert "not sealed" in _reason(report)


def test_rule3_a_cut_tail_with_the_head_moved_back_is_caught_at_the_first_missing_row(db):
    entries = _chain()
    _cut_tail_after(entries[109])
    report = chain_verify()
    assert not report.intact
    assert report.broken_seq == entries[110].seq
    assert "cut" in _reason(report)


def test_rule3_audit_verify_command_names_the_first_rewritten_row(db):
    entries = _chain()
    call_command("audit", "verify")
    _rewrite_from(entries[99].seq, rehash=_plain_sha256)
    with pytest.raises(CommandError) as failure, translation.override("en"):
        call_command("audit", "verify")
    assert f"#{entries[99].seq}:" in str(failure.value)


def test_rule3_a_row_sealed_with_an_unknown_key_is_reported(db, monkeypatch):
    entries = _chain(3)
    monkeypatch.setenv("QUIPU_AUDIT_KEY", "another-deployment-key-" + "x" * 32)
    report = chain_verify()
    assert report.broken_seq == entries[0].seq
    assert "does not hold" in _reason(report)


def test_rule3_a_rotated_key_seals_new_rows_and_the_old_key_still_verifies(db, monkeypatch):
    old_secret, new_secret = "o" * 40, "n" * 40
    monkeypatch.setenv("QUIPU_AUDIT_KEY", old_secret)
    before = _chain(2)
    monkeypatch.setenv("QUIPU_AUDIT_KEY", f"{old_secret}\n{new_secret}")
    after = _chain(2)
    assert before[0].key_id != after[0].key_id
    assert chain_verify().intact


def _legacy_chain(count: int) -> list[AuditEntry]:
    """Rows as the unkeyed code wrote them, before migration 0003."""
    rows, prev_hash = [], GENESIS
    template = _chain(1)[0]  # a real row's fields, then the log is rebuilt as legacy
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    for seq in range(1, count + 1):
        row = AuditEntry(
            seq=seq,
            at=template.at,
            action=Action.BAD_REQUEST,
            detail={"legacy": seq},
            prev_hash=prev_hash,
        )
        row.hash = entry_hash(row)
        row.save(force_insert=True)
        rows.append(row)
        prev_hash = row.hash
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_audithead SET seq = %s, hash = %s, keyed_from = 1, key_id = '', "
            "seal = '' WHERE id = 1",
            [count, prev_hash],
        )
    return rows


def _migration_0003():
    return importlib.import_module("quipu.audit.migrations.0003_keyed_chain")


def test_rule3_migration_keeps_old_rows_verifiable_and_seals_them_behind_the_key(db):
    legacy = _legacy_chain(5)
    _migration_0003().seal_existing_head(django_apps, None)
    assert AuditHead.objects.get(pk=1).keyed_from == 6
    newer = _chain(3)
    assert newer[0].prev_hash == legacy[-1].hash
    report = chain_verify()
    assert report.intact and report.checked == 8

    # A rewrite of the old, unkeyed part no longer links to the first keyed row.
    _rewrite_from(legacy[1].seq, rehash=_plain_sha256, through=legacy[-1].seq)
    report = chain_verify()
    assert report.broken_seq == newer[0].seq
    assert "link" in _reason(report)


def test_rule3_an_unmigrated_head_over_old_rows_does_not_pass_as_sealed(db):
    _legacy_chain(3)
    report = chain_verify()
    assert not report.intact
    assert "not sealed" in _reason(report)

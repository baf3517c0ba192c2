"""Rule 3: every read or change of personal data is written to an append-only, hash-chained log."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from quipu.audit.chain import GENESIS, chain_verify, entry_hash
from quipu.audit.models import Action, AuditEntry
from quipu.audit.services import audit_record
from quipu.audit.triggers import trigger_sql

pytestmark = pytest.mark.django_db


def _three_entries(region):
    actor = region.user("focal.co")
    subject = region.user("caseworker.co")
    return [
        audit_record(actor=actor, action=Action.READ, obj=subject, purpose="case review")
        for _ in range(3)
    ]


def _drop_triggers():
    """What an attacker with database rights would do first."""
    with connection.cursor() as cursor:
        for statement in trigger_sql(connection.vendor, install=False):
            cursor.execute(statement)


def test_rule3_each_entry_links_to_the_previous_one(region):
    first, second, third = _three_entries(region)
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert third.seq == second.seq + 1 == first.seq + 2
    assert entry_hash(third) == third.hash


def test_rule3_entry_records_who_from_where_what_and_why(region):
    entry = _three_entries(region)[0]
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_username == "focal.co"
    assert stored.actor_institution == "CO-MINISTRY"
    assert stored.actor_country == "CO"
    assert stored.action == Action.READ
    assert stored.object_type == "tenancy.user"
    assert stored.object_id == str(region.user("caseworker.co").pk)
    assert stored.subject_country == "CO"
    assert stored.subject_institution == "CO-POLICE"
    assert stored.purpose == "case review"


def test_rule3_verify_passes_on_an_untouched_chain(region):
    _three_entries(region)
    report = chain_verify()
    assert report.intact
    assert report.checked == AuditEntry.objects.count()


def test_rule3_application_refuses_to_update_or_delete(region):
    entry = _three_entries(region)[0]
    entry.purpose = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="changed")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_rule3_database_triggers_refuse_raw_update_and_delete(region):
    entry = _three_entries(region)[0]
    for sql in (
        "UPDATE audit_auditentry SET purpose = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).purpose == "case review"


def test_rule3_verify_names_the_first_altered_row(region):
    entries = _three_entries(region)
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET purpose = 'nothing to see' WHERE id = %s",
            [entries[1].pk],
        )
    report = chain_verify()
    assert not report.intact
    assert report.broken_seq == entries[1].seq
    with translation.override("en"):
        assert "altered" in str(report.reason)


def test_rule3_verify_catches_a_deleted_row(region):
    entries = _three_entries(region)
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    report = chain_verify()
    assert report.broken_seq == entries[1].seq
    with translation.override("en"):
        assert "deleted" in str(report.reason)


def test_rule3_verify_catches_a_cut_tail(region):
    entries = _three_entries(region)
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk])
    report = chain_verify()
    assert not report.intact
    assert report.broken_seq == entries[-1].seq


def test_rule3_verify_catches_a_rehashed_row_whose_successor_no_longer_links(region):
    entries = _three_entries(region)
    _drop_triggers()
    forged = AuditEntry.objects.get(pk=entries[0].pk)
    forged.purpose = "forged"
    new_hash = entry_hash(forged)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET purpose = %s, hash = %s WHERE id = %s",
            ["forged", new_hash, entries[0].pk],
        )
    report = chain_verify()
    assert report.broken_seq == entries[1].seq


def test_rule3_audit_verify_command_exits_non_zero_naming_the_row(region):
    entries = _three_entries(region)
    call_command("audit", "verify")  # intact: no error
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET action = 'read', object_id = '1' WHERE id = %s",
            [entries[0].pk],
        )
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    assert f"#{entries[0].seq}" in str(failure.value)


def test_first_entry_links_to_the_genesis_hash(db):
    assert not AuditEntry.objects.exists()
    entry = audit_record(actor=None, action=Action.BAD_REQUEST, detail={"reason": "test"})
    assert (entry.seq, entry.prev_hash) == (1, GENESIS)

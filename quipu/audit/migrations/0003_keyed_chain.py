"""The keyed chain (issue 13, finding 10). Existing rows are left as they are, plain SHA-256;
the head is sealed with the audit key over its current position, and rows from the next one on
are sealed with the key. See docs/decisions.md (2026-12-06)."""

from django.db import migrations, models


def seal_existing_head(apps, schema_editor):
    from quipu.audit.chain import head_seal
    from quipu.audit.keys import audit_keyring

    head = apps.get_model("audit", "AuditHead").objects.filter(pk=1).first()
    if head is None or head.seq == 0:
        return  # an empty log: every row will be keyed from the first
    key = audit_keyring().current
    head.keyed_from = head.seq + 1
    head.key_id = key.key_id
    head.seal = head_seal(seq=head.seq, hash=head.hash, keyed_from=head.keyed_from, key=key)
    head.save(update_fields=["keyed_from", "key_id", "seal"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(editable=False, max_length=16, null=True),
        ),
        migrations.AddField(
            model_name="audithead",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="audithead",
            name="keyed_from",
            field=models.BigIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="audithead",
            name="seal",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(seal_existing_head, migrations.RunPython.noop),
    ]

"""Existing notifications get their record's reference, read from their link, so that the list
stops showing identical titles. The link holds the record's id only; the other country is not
backfilled (it would need the cooperation apps' tables here), only new notifications carry it."""

import re

from django.db import migrations

# The link of each record kind, and its reference as the model builds it (zero-padded id).
LINKS = (
    (re.compile(r"^/cooperation/requests/(\d+)/"), "REQ-{:06d}"),
    (re.compile(r"^/cooperation/referrals/(\d+)/"), "REF-{:06d}"),
    (re.compile(r"^/cooperation/jits/(\d+)/"), "JIT-{:05d}"),
)


def references_from_links(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    rows = Notification.objects.filter(reference="").only("pk", "url")
    changed = []
    for row in rows.iterator(chunk_size=2000):
        for pattern, reference in LINKS:
            found = pattern.match(row.url)
            if found:
                row.reference = reference.format(int(found.group(1)))
                changed.append(row)
                break
    Notification.objects.bulk_update(changed, ["reference"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_notification_reference_and_country")]

    operations = [migrations.RunPython(references_from_links, migrations.RunPython.noop)]

"""Demo cases: about 20,000 synthetic cases over the ten member states (see synthetic.py).

Written through the same writer as imports, so a second run finds every case unchanged.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from quipu.intake.synthetic import demo_cases
from quipu.intake.writer import BATCH, WriteSummary, records_write
from quipu.tenancy.models import Institution


def demo_build(*, stdout, total: int | None = None) -> WriteSummary:
    owners = {i.code: i for i in Institution.objects.filter(country__is_member=True)}
    pending: dict[str, list] = defaultdict(list)
    summary = WriteSummary()
    for owner_code, record in demo_cases(total):
        batch = pending[owner_code]
        batch.append(record)
        if len(batch) == BATCH:
            summary.add(records_write(owner=owners[owner_code], records=batch))
            batch.clear()
    for owner_code, batch in pending.items():
        if batch:
            summary.add(records_write(owner=owners[owner_code], records=batch))
    stdout.write(
        _("Demo cases: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
        % {"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged}
    )
    return summary

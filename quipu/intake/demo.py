"""Demo cases: about 20,000 synthetic cases over the ten member states (see synthetic.py).

Written through the same writer as imports, so a second run finds every case unchanged.
"""

import random
import zlib
from collections import defaultdict

from django.utils.translation import gettext as _

from quipu.cases.models import SupportPlan, Victim
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
            if total:  # `quipu demo --cases N`: a large region takes minutes, so show progress
                written = summary.created + summary.updated + summary.unchanged
                stdout.write(_("Demo cases: %(written)s written…") % {"written": written})
    for owner_code, batch in pending.items():
        if batch:
            summary.add(records_write(owner=owners[owner_code], records=batch))
    stdout.write(
        _("Demo cases: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
        % {"created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged}
    )
    stdout.write(_("Support plans: %(count)s new.") % {"count": support_plans_demo_build()})
    return summary


SUPPORT_SHARE = 0.55  # detected victims of the demo with a support plan
SUPPORT_TYPES = ("SocialCare", "Health", "Legal", "Livelihood", "Education", "Financial")


def support_plans_demo_build() -> int:
    """Support plans for a fixed share of the demo's victims, as caseworkers add them after
    registration (the import formats carry none). Idempotent: victims with a plan are skipped."""
    victims = (
        Victim.objects.filter(case__source_key__startswith="demo:", case__kind="TIP")
        .exclude(support_plans__isnull=False)
        .values_list("pk", "case_id", "case__source_key")
    )
    plans = []
    for victim_id, case_id, source_key in victims.iterator(chunk_size=5000):
        rng = random.Random(zlib.crc32(f"support:{source_key}".encode()))
        if rng.random() < SUPPORT_SHARE:
            plans.append(
                SupportPlan(
                    case_id=case_id, victim_id=victim_id, support_type=rng.choice(SUPPORT_TYPES)
                )
            )
    SupportPlan.objects.bulk_create(plans, batch_size=2000)
    return len(plans)

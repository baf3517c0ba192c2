"""Demo linkage: encode every demo person not yet encoded with the current key, write the
notices of shared identifiers at once (seconds), then queue the full cross-border run, which
trains the model and adds what names alone find (minutes, in the worker beside the server).
The demo plants cross-border duplicates along the corridors (see intake/synthetic.py)."""

import time

from django.utils.translation import gettext as _

from quipu.cases.models import Person
from quipu.linkage.keys import linkage_key
from quipu.linkage.models import LinkRun, PersonEncoding
from quipu.linkage.runs import link_run_identifiers, link_run_queue
from quipu.linkage.services import encodings_refresh


def demo_build(*, stdout) -> None:
    key_id = linkage_key().key_id
    current = PersonEncoding.objects.filter(key_id=key_id)
    missing = Person.objects.exclude(pk__in=current.values("person_id")).values_list(
        "pk", flat=True
    )
    summary = encodings_refresh(list(missing))
    stdout.write(
        _("Cross-border encodings: %(encoded)s people encoded.") % {"encoded": summary.encoded}
    )
    matched = LinkRun.objects.filter(kind=LinkRun.Kind.FULL, key_id=key_id).exclude(
        status=LinkRun.Status.FAILED
    )
    if summary.encoded or not matched.exists():
        # Before serving, so the focal points find notices from the start: the full run takes
        # minutes on two cores (docs/decisions.md), the identifiers pass seconds.
        started = time.monotonic()
        first = link_run_identifiers()
        stdout.write(
            _(
                "Match notices from shared identifiers: %(new)s new in %(seconds)s s; the full "
                "matching run adds the rest in the background."
            )
            % {"new": first.notices_new, "seconds": round(time.monotonic() - started)}
        )
        run = link_run_queue()
        stdout.write(
            _("Cross-border matching queued (run #%(run)s): match notices appear when it ends.")
            % {"run": run.pk}
        )

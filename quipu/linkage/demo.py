"""Demo linkage: encode every demo person not yet encoded with the current key, then queue a
cross-border matching run so the focal points find notices waiting (the demo plants
cross-border duplicates along the corridors, see intake/synthetic.py)."""

from django.utils.translation import gettext as _

from quipu.cases.models import Person
from quipu.linkage.keys import linkage_key
from quipu.linkage.models import LinkRun, PersonEncoding
from quipu.linkage.runs import link_run_queue
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
        # In the background: matching 40,000 people takes a minute or two, and `make run`
        # starts the worker next to the server; the notices appear when it is done.
        run = link_run_queue()
        stdout.write(
            _("Cross-border matching queued (run #%(run)s): match notices appear when it ends.")
            % {"run": run.pk}
        )

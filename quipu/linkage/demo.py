"""Demo encodings: every demo person not yet encoded with the current key gets encoded."""

from django.utils.translation import gettext as _

from quipu.cases.models import Person
from quipu.linkage.keys import linkage_key
from quipu.linkage.models import PersonEncoding
from quipu.linkage.services import encodings_refresh


def demo_build(*, stdout) -> None:
    current = PersonEncoding.objects.filter(key_id=linkage_key().key_id)
    missing = Person.objects.exclude(pk__in=current.values("person_id")).values_list(
        "pk", flat=True
    )
    summary = encodings_refresh(list(missing))
    stdout.write(
        _("Cross-border encodings: %(encoded)s people encoded.") % {"encoded": summary.encoded}
    )

"""The triage inbox as CSV: every column but the personal ones (personal.py), so the file can
leave the platform for planning without carrying anyone's data."""

import csv
import io

from django.db.models import ForeignKey

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cooperation.helpline.models import HelplineReport
from quipu.cooperation.helpline.personal import personal_fields
from quipu.cooperation.helpline.selectors import triage_inbox
from quipu.tenancy.permissions import require
from quipu.tenancy.roles import Capability

# Who logged it stays in the platform: a user id says more than planning needs.
INTERNAL = frozenset({"id", "logged_by"})


def export_columns() -> list[str]:
    hidden = personal_fields(HelplineReport) | INTERNAL
    return [f.name for f in HelplineReport._meta.concrete_fields if f.name not in hidden]


def _cell(report: HelplineReport, name: str) -> str:
    field = HelplineReport._meta.get_field(name)
    if isinstance(field, ForeignKey):
        related = getattr(report, name)
        if related is None:
            return ""
        return (
            getattr(related, "code", None) or getattr(related, "reference", "") or str(related.pk)
        )
    value = getattr(report, name)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def inbox_csv(*, actor, filters: dict, request=None) -> str:
    """The actor's triage inbox under `filters`, de-identified; the export is audited."""
    require(actor, Capability.TRIAGE_REPORTS, request=request)
    reports = list(triage_inbox(user=actor, filters=filters).select_related("case"))
    columns = export_columns()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for report in reports:
        writer.writerow([_cell(report, name) for name in columns])
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type=HelplineReport._meta.label_lower,
        request=request,
        detail={"rows": len(reports), "personal": False, **{k: v for k, v in filters.items() if v}},
    )
    return out.getvalue()

"""Reads of the audit log, scoped by the permission layer."""

from django.db.models import QuerySet

from quipu.audit.models import AuditEntry
from quipu.tenancy.permissions import owned_by, scoped
from quipu.tenancy.roles import Capability

# An entry belongs to the country and institution that own the record it is about.
owned_by(country="subject_country", institution="subject_institution", institution_by_code=True)(
    AuditEntry
)


def audit_entries_visible_to(*, user) -> QuerySet[AuditEntry]:
    return scoped(user, AuditEntry.objects.all(), Capability.READ_AUDIT)


def audit_entries_filtered(*, user, action="", since=None, until=None, object_id=""):
    entries = audit_entries_visible_to(user=user)
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries

"""Reads of helpline reports, already scoped by the permission layer.

A user reaches a report when they triage its country (focal points), when their institution
logged it (operators), or when it was assigned to their institution as a lead or a case.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from quipu.cooperation.helpline.models import HelplineReport, ReportIdentifier, ReportTransition
from quipu.tenancy.models import Institution, InstitutionKind
from quipu.tenancy.permissions import denial_record, principal_for, scoped
from quipu.tenancy.roles import Capability

# Institutions a report can be assigned to: national bodies that act on it.
ASSIGNABLE_KINDS = (
    InstitutionKind.POLICE,
    InstitutionKind.PROSECUTOR,
    InstitutionKind.MINISTRY,
    InstitutionKind.NGO,
)


def _reports() -> QuerySet[HelplineReport]:
    return HelplineReport.objects.select_related(
        "country", "institution", "place_country", "assigned_to", "routed_to", "received_from"
    )


def reports_visible_to(*, user) -> QuerySet[HelplineReport]:
    reports = _reports()
    triaged = scoped(user, reports, Capability.TRIAGE_REPORTS).values("pk")
    logged = scoped(user, reports, Capability.LOG_REPORTS).values("pk")
    visible = Q(pk__in=triaged) | Q(pk__in=logged)
    principal = principal_for(user)
    if principal.institution_id is not None and principal.can(Capability.READ_CASES):
        # A lead or a case assigned to the institution: its case readers act on it.
        visible |= Q(assigned_to_id=principal.institution_id, is_stub=False)
    return reports.filter(visible)


def report_visible(*, user, pk: int, request=None) -> HelplineReport:
    """One report `user` may read, else 404; one that exists out of reach is audited as denied."""
    report = reports_visible_to(user=user).filter(pk=pk).first()
    if report is None:
        hidden = HelplineReport.objects.filter(pk=pk).first()
        if hidden is not None:
            denial_record(user, capability=Capability.LOG_REPORTS, obj=hidden, request=request)
        raise Http404
    return report


def reports_of_my_institution(*, user) -> QuerySet[HelplineReport]:
    """Reports the user's institution logged, or that were assigned to it."""
    institution_id = principal_for(user).institution_id
    mine = Q(institution_id=institution_id) | Q(assigned_to_id=institution_id, is_stub=False)
    return reports_visible_to(user=user).filter(mine)


def triage_inbox(*, user, filters: dict | None = None) -> QuerySet[HelplineReport]:
    """The country's reports to triage, immediate danger first, then the newest."""
    reports = scoped(user, _reports(), Capability.TRIAGE_REPORTS)
    for name in ("state", "situation", "urgency"):
        value = (filters or {}).get(name)
        if value:
            reports = reports.filter(**{name: value})
    return reports.order_by("urgency", "-created_at", "-id")


def report_identifiers(report: HelplineReport) -> list[ReportIdentifier]:
    return list(report.identifiers.all())


def report_history(report: HelplineReport) -> list[ReportTransition]:
    return list(report.history.select_related("actor", "country"))


def institutions_assignable(*, country: str) -> QuerySet[Institution]:
    return Institution.objects.filter(
        country_id=country, is_active=True, kind__in=ASSIGNABLE_KINDS
    ).order_by("name")

"""Logging helpline reports and reading them: permission, audit, then the change.

Triage (lead, case, route, close) is in triage.py.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cooperation.helpline.kinds import IMMEDIATE_DANGER
from quipu.cooperation.helpline.models import (
    HelplineReport,
    ReportIdentifier,
    ReportTransition,
    State,
    Urgency,
)
from quipu.cooperation.helpline.personal import CALLER_FIELDS, personal_fields
from quipu.cooperation.helpline.validation import caller_fields_check
from quipu.errors import InvalidInput, NotAllowed
from quipu.notifications.services import notify, recipients_with
from quipu.tenancy.models import Country
from quipu.tenancy.permissions import denial_record, require
from quipu.tenancy.roles import Capability


def report_log(
    *,
    actor,
    situation: str,
    urgency: str,
    channel: str,
    account: str,
    place_country: Country,
    place: str = "",
    identifiers: list[dict] | None = None,
    caller_consents: bool = False,
    caller: dict | None = None,
    request=None,
) -> HelplineReport:
    """Log a report for the actor's institution, in its country's triage inbox.

    `identifiers` are {kind, value} already normalised; `caller` holds the caller's name,
    phone and e-mail, refused (never dropped) unless the caller consents to being contacted.
    """
    principal = require(actor, Capability.LOG_REPORTS, request=request)
    if principal.institution_id is None or principal.country_id is None:
        denial_record(actor, capability=Capability.LOG_REPORTS, request=request)
        raise NotAllowed()
    caller = {name: (caller or {}).get(name, "") or "" for name in CALLER_FIELDS}
    if caller_fields_check(caller_consents, caller):
        raise InvalidInput(
            _("The caller did not consent to being contacted: leave the caller's details empty."),
            code="caller_without_consent",
        )
    if not place_country.is_member:
        raise InvalidInput(_("Choose a member state."), code="place_country_not_member")
    identifiers = identifiers or []
    with transaction.atomic():
        report = HelplineReport.objects.create(
            reference=f"pending-{timezone.now().timestamp()}",
            country_id=principal.country_id,
            institution_id=principal.institution_id,
            situation=situation,
            urgency=urgency,
            channel=channel,
            account=account,
            place_country=place_country,
            place=place,
            caller_consents=caller_consents,
            logged_by=actor,
            **(caller if caller_consents else {}),
        )
        report.reference = f"{principal.country_id}-HL-{report.created_at.year}-{report.pk:06d}"
        report.save(update_fields=["reference"])
        ReportIdentifier.objects.bulk_create(
            [ReportIdentifier(report=report, kind=i["kind"], value=i["value"]) for i in identifiers]
        )
        history_add(report, actor=actor, action="log", from_state="", to_state=State.NEW)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=report,
            request=request,
            detail={
                "situation": situation,
                "urgency": urgency,
                "identifiers": len(identifiers),
                "caller": bool(caller_consents),
            },
        )
        if urgency == Urgency.IMMEDIATE:
            triage_focal_points_notify(report, kind=IMMEDIATE_DANGER)
    return report


def history_add(
    report: HelplineReport, *, actor, action: str, from_state: str, to_state: str, **extra
) -> ReportTransition:
    membership = getattr(actor, "membership", None)
    return ReportTransition.objects.create(
        report=report,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        actor_institution=membership.institution.code if membership else "",
        country_id=report.country_id,
        **extra,
    )


def triage_focal_points_notify(report: HelplineReport, *, kind: str) -> None:
    notify(
        recipients=recipients_with(Capability.TRIAGE_REPORTS, country=report.country_id),
        kind=kind,
        url=reverse("helpline:detail", args=[report.pk]),
        reference=report.reference,
    )


def report_read_audit(*, actor, report: HelplineReport, via: str, request=None) -> bool:
    """Audit a read of the report's personal fields; a stub has none, so nothing is read."""
    if report.is_stub:
        return False
    audit_record(
        actor=actor,
        action=Action.READ,
        obj=report,
        request=request,
        detail={
            "personal": True,
            "via": via,
            "fields": sorted(personal_fields(HelplineReport)),
            "identifiers": report.identifiers.count(),
        },
    )
    return True

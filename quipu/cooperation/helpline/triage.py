"""Triage of helpline reports by the focal points of the country holding them (workflows.py):
a lead for an institution, a case, a referral to another country, or closed with a reason."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.fields import CodeSet
from quipu.cases.models import Case
from quipu.cases.services import (
    case_create,
    identifiers_replace,
    perpetrators_replace,
    victim_context_save,
    victim_person_save,
)
from quipu.cooperation.helpline import workflows
from quipu.cooperation.helpline.kinds import CASE_OPENED, LEAD_ASSIGNED, ROUTED_IN
from quipu.cooperation.helpline.models import HelplineReport, Situation, State
from quipu.cooperation.helpline.personal import personal_fields
from quipu.cooperation.helpline.selectors import institutions_assignable
from quipu.cooperation.helpline.services import history_add, triage_focal_points_notify
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.notifications.services import notify, recipients_with
from quipu.tenancy.models import Country, Institution
from quipu.tenancy.permissions import denial_record, require
from quipu.tenancy.roles import Capability

EXPLOITATION = {
    Situation.SEXUAL_EXPLOITATION: "SexualExploitation",
    Situation.FORCED_LABOUR: "ForcedLabour",
    Situation.FORCED_BEGGING: "ForcedBegging",
    Situation.FORCED_MARRIAGE: "ForcedMarriage",
}
IDENTIFIERS_OF = ("victim", "perpetrator")


# The input field each refusal of a triage service is about, so that the form and the API
# can put the message on that field (rule 4).
INPUT_FIELD = {
    "institution_not_of_country": "institution",
    "case_kind": "kind",
    "route_country": "to_country",
    "reason_required": "reason",
}


def report_triage_check(*, actor, report: HelplineReport, request=None) -> None:
    """NotAllowed unless the actor triages this report's country. The refusal is audited
    outside any transaction of the caller, so it stays in the log."""
    require(actor, Capability.TRIAGE_REPORTS, request=request)
    if not workflows.may_triage(actor, report):
        denial_record(actor, capability=Capability.TRIAGE_REPORTS, obj=report, request=request)
        raise NotAllowed()


def _locked(report: HelplineReport, action: str) -> tuple[HelplineReport, str]:
    """The report re-read under a row lock, and the state `action` leads to from its state
    now: of two concurrent triages the second waits here, then fails with InvalidTransition."""
    report = HelplineReport.objects.select_for_update().get(pk=report.pk)
    return report, workflows.target_state(report, action)


def _assignable(report: HelplineReport, institution: Institution) -> None:
    if not institutions_assignable(country=report.country_id).filter(pk=institution.pk).exists():
        raise InvalidInput(
            _("Choose an institution of the country handling the report."),
            code="institution_not_of_country",
        )


def report_lead_assign(
    *, actor, report: HelplineReport, institution: Institution, note: str = "", request=None
) -> HelplineReport:
    """Assign the report as a lead to a national institution; its users then see it."""
    report_triage_check(actor=actor, report=report, request=request)
    _assignable(report, institution)
    with transaction.atomic():
        report, target = _locked(report, workflows.LEAD)
        before = report.state
        report.state, report.assigned_to = target, institution
        report.save(update_fields=["state", "assigned_to", "updated_at"])
        history_add(
            report,
            actor=actor,
            action=workflows.LEAD,
            from_state=before,
            to_state=target,
            target=institution.code,
            note=note,
        )
        _audit(actor, report, workflows.LEAD, request, institution=institution.code)
        notify(
            recipients=recipients_with(Capability.READ_CASES, institution_id=institution.pk),
            kind=LEAD_ASSIGNED,
            url=reverse("helpline:detail", args=[report.pk]),
            reference=report.reference,
        )
    return report


def report_case_open(
    *,
    actor,
    report: HelplineReport,
    institution: Institution,
    kind: str,
    identifiers_of: str = "victim",
    request=None,
) -> Case:
    """Open a TIP or SOM case owned by `institution`, linked to the report; the identifiers
    become identifiers of an unnamed victim (or suspected perpetrator) of the case."""
    report_triage_check(actor=actor, report=report, request=request)
    _assignable(report, institution)
    if kind not in ("TIP", "SOM") or identifiers_of not in IDENTIFIERS_OF:
        raise InvalidInput(
            _("Choose the type of case and whose identifiers these are."), code="case_kind"
        )
    with transaction.atomic():
        report, target = _locked(report, workflows.CASE)
        case = case_create(
            actor=actor,
            owner=institution,
            fields={
                "kind": kind,
                "datasource": "Hotline",
                "referring_organisation": report.institution.name if report.institution else "",
                "incoming_referral_date": report.created_at.date(),
                "incoming_referral_details": report.account,
            },
            request=request,
        )
        identifiers = [{"kind": i.kind, "value": i.value} for i in report.identifiers.all()]
        exploitation = EXPLOITATION.get(report.situation)
        if identifiers_of == "victim" or exploitation:
            victim = victim_person_save(actor=actor, case=case, fields={}, request=request)
            if exploitation:
                victim_context_save(
                    actor=actor,
                    victim=victim,
                    fields={"exploitation_types": CodeSet.of({exploitation})},
                    request=request,
                )
            if identifiers_of == "victim" and identifiers:
                identifiers_replace(
                    actor=actor, victim=victim, identifiers=identifiers, request=request
                )
        if identifiers_of == "perpetrator" and identifiers:
            perpetrators_replace(
                actor=actor,
                case=case,
                perpetrators=[{"id": None, "identifiers": identifiers}],
                request=request,
            )
        before = report.state
        report.state, report.assigned_to, report.case = target, institution, case
        report.save(update_fields=["state", "assigned_to", "case", "updated_at"])
        history_add(
            report,
            actor=actor,
            action=workflows.CASE,
            from_state=before,
            to_state=target,
            target=case.reference,
        )
        _audit(actor, report, workflows.CASE, request, case=case.pk, institution=institution.code)
        # The owner's staff learn of the case as they learn of a lead: a title and the case's id.
        notify(
            recipients=recipients_with(Capability.READ_CASES, institution_id=institution.pk),
            kind=CASE_OPENED,
            url=reverse("cases:detail", args=[case.pk]),
        )
    return case


def report_route(
    *, actor, report: HelplineReport, to_country: Country, note: str = "", request=None
) -> HelplineReport:
    """Move the report, with its history, to another member state's triage inbox. The sender
    keeps a read-only stub under the old id, without the account, place, caller or identifiers.
    Returns the moved report."""
    report_triage_check(actor=actor, report=report, request=request)
    if not to_country.is_member or to_country.pk == report.country_id:
        raise InvalidInput(_("Choose another member state."), code="route_country")
    with transaction.atomic():
        report, target = _locked(report, workflows.ROUTE)
        sender = report.country_id
        history = list(report.history.all())
        moved = HelplineReport.objects.get(pk=report.pk)
        moved.pk = None
        moved.country, moved.institution, moved.received_from = to_country, None, report.country
        moved.state = target
        moved.save()
        HelplineReport.objects.filter(pk=moved.pk).update(created_at=report.created_at)
        report.identifiers.update(report=moved)
        report.history.update(report=moved)
        # The stub: the same id, so the sender's links still open; codes only.
        for step in history:
            _history_copy(report, step)
        blank = dict.fromkeys(personal_fields(HelplineReport), "")
        HelplineReport.objects.filter(pk=report.pk).update(
            state=State.ROUTED, routed_to=to_country, is_stub=True, caller_consents=False, **blank
        )
        report.refresh_from_db()
        history_add(
            report,
            actor=actor,
            action=workflows.ROUTE,
            from_state=State.NEW,
            to_state=State.ROUTED,
            target=to_country.pk,
        )
        history_add(
            moved,
            actor=actor,
            action=workflows.ROUTE,
            from_state=State.NEW,
            to_state=target,
            target=to_country.pk,
            note=note,
        )
        _audit(actor, report, workflows.ROUTE, request, to_country=to_country.pk, moved=moved.pk)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=moved,
            request=request,
            detail={"routed_from": sender, "stub": report.pk},
        )
        triage_focal_points_notify(moved, kind=ROUTED_IN)
    return moved


def _history_copy(stub: HelplineReport, step) -> None:
    """The stub's copy of one earlier step, without its note (notes may carry personal data)."""
    copy = type(step).objects.create(
        report=stub,
        action=step.action,
        from_state=step.from_state,
        to_state=step.to_state,
        actor_id=step.actor_id,
        actor_institution=step.actor_institution,
        country_id=step.country_id,
        target=step.target,
    )
    type(step).objects.filter(pk=copy.pk).update(at=step.at)


def report_close(*, actor, report: HelplineReport, reason: str, request=None) -> HelplineReport:
    """Close the report as not actionable, with the reason."""
    report_triage_check(actor=actor, report=report, request=request)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for closing the report."), code="reason_required")
    with transaction.atomic():
        report, target = _locked(report, workflows.CLOSE)
        before = report.state
        report.state, report.closure_reason = target, reason
        report.save(update_fields=["state", "closure_reason", "updated_at"])
        history_add(
            report,
            actor=actor,
            action=workflows.CLOSE,
            from_state=before,
            to_state=target,
            note=reason,
        )
        _audit(actor, report, workflows.CLOSE, request)
    return report


def _audit(actor, report: HelplineReport, action: str, request, **detail) -> None:
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=report,
        request=request,
        detail={"triage": action, "state": report.state, **detail},
    )


def report_triage(
    *, actor, report: HelplineReport, action: str, data: dict, request=None
) -> HelplineReport | None:
    """Run triage `action` with the fields the form or the API validated (see
    workflows.ACTIONS). Returns the moved report when routing, else None."""
    common = {"actor": actor, "report": report, "request": request}
    if action == workflows.LEAD:
        report_lead_assign(institution=data["institution"], note=data.get("note", ""), **common)
    elif action == workflows.CASE:
        report_case_open(
            institution=data["institution"],
            kind=data["kind"],
            identifiers_of=data.get("identifiers_of", "victim"),
            **common,
        )
    elif action == workflows.ROUTE:
        return report_route(to_country=data["to_country"], note=data.get("note", ""), **common)
    elif action == workflows.CLOSE:
        report_close(reason=data["reason"], **common)
    else:
        raise InvalidTransition(code=f"{report.state}_{action}")
    return None

"""Writes to cases from the web form and the API: permission, audit, then the change."""

import uuid

from django.db import transaction
from django.utils import timezone

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.models import Case, Consent, Identifier, Person, RouteEvent, Victim
from quipu.errors import NotAllowed
from quipu.tenancy.models import Institution
from quipu.tenancy.permissions import denial_record, scoped
from quipu.tenancy.roles import Capability


def institutions_writable_by(*, user):
    return scoped(user, Institution.objects.all(), Capability.WRITE_CASES)


def case_writable(*, user, case: Case) -> bool:
    return scoped(user, Case.objects.filter(pk=case.pk), Capability.WRITE_CASES).exists()


def _require_write(actor, case: Case, request=None) -> None:
    if not case_writable(user=actor, case=case):
        denial_record(actor, capability=Capability.WRITE_CASES, obj=case, request=request)
        raise NotAllowed()


@transaction.atomic
def case_create(*, actor, owner: Institution, fields: dict, request=None) -> Case:
    if not institutions_writable_by(user=actor).filter(pk=owner.pk).exists():
        denial_record(actor, capability=Capability.WRITE_CASES, obj=owner, request=request)
        raise NotAllowed()
    registered_on = fields.get("registered_on") or timezone.localdate()
    case = Case.objects.create(
        owner=owner,
        created_by=actor,
        source_key=f"form:{uuid.uuid4()}",
        reference=f"pending-{uuid.uuid4()}"[:40],
        registration_year=registered_on.year,
        **{**fields, "registered_on": registered_on},
    )
    case.reference = f"{owner.country_id or 'XX'}-{registered_on.year}-{case.pk:06d}"
    case.save(update_fields=["reference"])
    audit_record(actor=actor, action=Action.CREATE, obj=case, request=request)
    return case


@transaction.atomic
def case_update(*, actor, case: Case, fields: dict, request=None) -> Case:
    _require_write(actor, case, request)
    for name, value in fields.items():
        setattr(case, name, value)
    if case.registered_on:
        case.registration_year = case.registered_on.year
    case.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=case,
        request=request,
        detail={"fields": sorted(fields)},
    )
    return case


def victim_of(case: Case) -> Victim | None:
    return case.victims.select_related("person").order_by("id").first()


@transaction.atomic
def victim_person_save(*, actor, case: Case, fields: dict, request=None) -> Victim:
    """Create or change the case's (first) victim's person record."""
    _require_write(actor, case, request)
    victim = victim_of(case)
    if victim is None:
        person = Person.objects.create(owner=case.owner, **fields)
        victim = Victim.objects.create(case=case, person=person)
        audit_record(actor=actor, action=Action.CREATE, obj=person, request=request)
    else:
        Person.objects.filter(pk=victim.person_id).update(**fields)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=victim.person,
            request=request,
            detail={"fields": sorted(fields)},
        )
    return victim


@transaction.atomic
def victim_context_save(*, actor, victim: Victim, fields: dict, request=None) -> Victim:
    _require_write(actor, victim.case, request)
    for name, value in fields.items():
        setattr(victim, name, value)
    victim.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=victim,
        request=request,
        detail={"fields": sorted(fields)},
    )
    return victim


@transaction.atomic
def route_events_replace(*, actor, victim: Victim, events: list[dict], request=None) -> None:
    _require_write(actor, victim.case, request)
    RouteEvent.objects.filter(victim=victim).delete()
    RouteEvent.objects.bulk_create(
        [RouteEvent(case=victim.case, victim=victim, **event) for event in events]
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=victim.case,
        request=request,
        detail={"route_events": len(events)},
    )


@transaction.atomic
def identifiers_replace(*, actor, victim: Victim, identifiers: list[dict], request=None) -> None:
    _require_write(actor, victim.case, request)
    person = victim.person
    Identifier.objects.filter(person=person).delete()
    Identifier.objects.bulk_create([Identifier(person=person, **item) for item in identifiers])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=person,
        request=request,
        detail={"identifiers": len(identifiers)},
    )


@transaction.atomic
def consent_save(*, actor, victim: Victim, fields: dict, request=None) -> Consent:
    _require_write(actor, victim.case, request)
    consent, _ = Consent.objects.update_or_create(victim=victim, defaults=fields)
    Victim.objects.filter(pk=victim.pk).update(
        agreement_to_manage_data=fields.get("consent", False)
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=victim,
        request=request,
        detail={"consent": bool(fields.get("consent"))},
    )
    return consent

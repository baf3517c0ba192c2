"""Writes to cases from the web form and the API: permission, audit, then the change."""

import functools
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.fields import CodeSet
from quipu.cases.models import Case, Consent, Identifier, Perpetrator, Person, RouteEvent, Victim
from quipu.cases.search_index import search_texts_refresh, search_texts_refresh_for_people
from quipu.cases.selectors import cases_personal_to, identifier_forms
from quipu.errors import InvalidInput, NotAllowed
from quipu.linkage.services import encodings_refresh_after_commit
from quipu.tenancy.models import Institution
from quipu.tenancy.permissions import denial_record, principal_for, scoped
from quipu.tenancy.roles import Capability


def institutions_writable_by(*, user):
    return scoped(user, Institution.objects.all(), Capability.WRITE_CASES)


def case_writable(*, user, case: Case) -> bool:
    return scoped(user, Case.objects.filter(pk=case.pk), Capability.WRITE_CASES).exists()


def _require_write(actor, case: Case, request=None) -> None:
    if not case_writable(user=actor, case=case):
        denial_record(actor, capability=Capability.WRITE_CASES, obj=case, request=request)
        raise NotAllowed()


def _checked_then_atomic(case_of):
    """Check the write permission, then run the service in a transaction.

    The check comes first so that a refusal's audit row is not rolled back with the write.
    """

    def decorator(service):
        @functools.wraps(service)
        def wrapper(*, actor, request=None, **kwargs):
            _require_write(actor, case_of(kwargs), request)
            with transaction.atomic():
                return service(actor=actor, request=request, **kwargs)

        return wrapper

    return decorator


def case_create(*, actor, owner: Institution, fields: dict, request=None) -> Case:
    if not institutions_writable_by(user=actor).filter(pk=owner.pk).exists():
        denial_record(actor, capability=Capability.WRITE_CASES, obj=owner, request=request)
        raise NotAllowed()
    with transaction.atomic():
        return _case_insert(actor, owner, fields, request)


def _case_insert(actor, owner: Institution, fields: dict, request) -> Case:
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
    search_texts_refresh([case.pk])
    audit_record(actor=actor, action=Action.CREATE, obj=case, request=request)
    return case


@_checked_then_atomic(lambda kwargs: kwargs["case"])
def case_update(*, actor, case: Case, fields: dict, request=None) -> Case:
    for name, value in fields.items():
        setattr(case, name, value)
    if case.registered_on:
        case.registration_year = case.registered_on.year
    case.save()
    search_texts_refresh([case.pk])
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


@_checked_then_atomic(lambda kwargs: kwargs["case"])
def victim_person_save(*, actor, case: Case, fields: dict, request=None) -> Victim:
    """Create or change the case's (first) victim's person record."""
    victim = victim_of(case)
    if victim is None:
        person = Person.objects.create(owner=case.owner, **fields)
        victim = Victim.objects.create(case=case, person=person)
        audit_record(actor=actor, action=Action.CREATE, obj=person, request=request)
    else:
        # update() skips auto_now, so the change time is set here
        Person.objects.filter(pk=victim.person_id).update(**fields, updated_at=timezone.now())
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=victim.person,
            request=request,
            detail={"fields": sorted(fields)},
        )
    search_texts_refresh_for_people([victim.person_id])
    encodings_refresh_after_commit([victim.person_id])
    return victim


@_checked_then_atomic(lambda kwargs: kwargs["victim"].case)
def victim_context_save(*, actor, victim: Victim, fields: dict, request=None) -> Victim:
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


@_checked_then_atomic(lambda kwargs: kwargs["victim"].case)
def route_events_replace(*, actor, victim: Victim, events: list[dict], request=None) -> None:
    RouteEvent.objects.filter(victim=victim).delete()
    RouteEvent.objects.bulk_create([RouteEvent(victim=victim, **event) for event in events])
    search_texts_refresh([victim.case_id])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=victim.case,
        request=request,
        detail={"route_events": len(events)},
    )


def _identifiers_set(person: Person, identifiers: list[dict]) -> None:
    Identifier.objects.filter(person=person).delete()
    Identifier.objects.bulk_create([Identifier(person=person, **item) for item in identifiers])


@_checked_then_atomic(lambda kwargs: kwargs["victim"].case)
def identifiers_replace(*, actor, victim: Victim, identifiers: list[dict], request=None) -> None:
    person = victim.person
    _identifiers_set(person, identifiers)
    search_texts_refresh_for_people([person.pk])
    encodings_refresh_after_commit([person.pk])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=person,
        request=request,
        detail={"identifiers": len(identifiers)},
    )


def perpetrators_of(case: Case) -> list[Perpetrator]:
    return list(
        case.perpetrators.select_related("person")
        .prefetch_related("person__identifiers")
        .order_by("id")
    )


def perpetrators_replace(*, actor, case: Case, perpetrators: list[dict], request=None) -> None:
    """Make the case's perpetrators exactly `perpetrators`, all or nothing.

    Each item: `id` (a perpetrator of this case to change, or None for a new one), optionally
    `person` (an existing Person of the case's owner to link instead of creating one),
    `person_fields`, `roles` (a CodeSet), `role_details` and `identifiers` (as
    `identifiers_replace` takes them; the person's identifiers become exactly these). Keys left
    out are left unchanged. Perpetrators of the case not listed are deleted, with their person
    when no other case refers to it. A case's victim cannot be its perpetrator.
    """
    # Refusals are checked before the transaction, so that they stay in the audit log.
    _require_write(actor, case, request)
    for item in perpetrators:
        person = item.get("person")
        if person is not None and person.owner_id != case.owner_id:
            denial_record(actor, capability=Capability.WRITE_CASES, obj=person, request=request)
            raise NotAllowed()
    with transaction.atomic():
        # One replacement at a time per case (PostgreSQL; SQLite writes one at a time anyway).
        Case.objects.select_for_update().filter(pk=case.pk).first()
        existing = {
            p.pk: p
            for p in Perpetrator.objects.filter(case=case).select_related("person", "case__owner")
        }
        people = _perpetrator_people(case, existing, perpetrators)
        for item, person in zip(perpetrators, people, strict=True):
            _perpetrator_save(actor, case, existing.get(item.get("id")), person, item, request)
        kept = {item.get("id") for item in perpetrators}
        for perpetrator in existing.values():
            if perpetrator.pk not in kept:
                _perpetrator_delete(actor, perpetrator, request)
        # Deleted people too: their encodings must go with them.
        touched = {p.person_id for p in existing.values()}
        touched |= set(Perpetrator.objects.filter(case=case).values_list("person_id", flat=True))
        # A perpetrator's person may be in other cases too: their search text changes with it.
        search_texts_refresh_for_people(touched)
        search_texts_refresh([case.pk])
        encodings_refresh_after_commit(sorted(touched))
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=case,
            request=request,
            detail={"perpetrators": len(perpetrators)},
        )


def _perpetrator_people(case: Case, existing: dict, perpetrators: list[dict]) -> list:
    """The person of each item (None: a new one), checked before anything is written."""
    ids = [item["id"] for item in perpetrators if item.get("id")]
    if len(ids) != len(set(ids)) or not set(ids) <= set(existing):
        raise InvalidInput(
            _("The form lists a perpetrator that is not part of this case. Reload the page."),
            code="perpetrator_not_in_case",
        )
    victim_people = set(case.victims.values_list("person_id", flat=True))
    people = []
    for item in perpetrators:
        person = item.get("person")
        if person is None and item.get("id"):
            person = existing[item["id"]].person
        if person is not None and person.pk in victim_people:
            raise InvalidInput(
                _("The victim of a case cannot also be recorded as one of its perpetrators."),
                code="perpetrator_is_victim",
            )
        people.append(person)
    return people


def _perpetrator_save(actor, case: Case, perpetrator, person, item: dict, request) -> None:
    person_fields = item.get("person_fields", {})
    if person is None:
        person = Person.objects.create(owner=case.owner, **person_fields)
    elif person_fields:
        for name, value in person_fields.items():
            setattr(person, name, value)
        person.save()
    context = {name: item[name] for name in ("role_details",) if name in item}
    if "roles" in item:
        # Codes that an import recorded as known absent stay absent unless now ticked.
        absent = perpetrator.roles.absent if perpetrator else frozenset()
        context["roles"] = CodeSet.of(item["roles"].present, absent | item["roles"].absent)
    if perpetrator is None:
        action = Action.CREATE
        perpetrator = Perpetrator.objects.create(case=case, person=person, **context)
        former_person_id = None
    else:
        action = Action.UPDATE
        former_person_id = perpetrator.person_id
        perpetrator.person = person
        for name, value in context.items():
            setattr(perpetrator, name, value)
        perpetrator.save()
    if "identifiers" in item:
        _identifiers_set(person, item["identifiers"])
    audit_record(
        actor=actor,
        action=action,
        obj=perpetrator,
        request=request,
        detail={
            "person": person.pk,
            "fields": sorted([*person_fields, *context]),
            "identifiers": len(item.get("identifiers", [])),
        },
    )
    if former_person_id not in (None, person.pk):
        _person_delete_if_unused(former_person_id)


def _perpetrator_delete(actor, perpetrator: Perpetrator, request) -> None:
    person_id = perpetrator.person_id
    audit_record(
        actor=actor,
        action=Action.DELETE,
        obj=perpetrator,
        request=request,
        detail={"person": person_id},
    )
    perpetrator.delete()
    _person_delete_if_unused(person_id)


def _person_delete_if_unused(person_id: int) -> None:
    """A person that no case refers to any more goes, with its identifiers."""
    Person.objects.filter(pk=person_id, victim_contexts=None, perpetrator_contexts=None).delete()


@_checked_then_atomic(lambda kwargs: kwargs["victim"].case)
def consent_save(*, actor, victim: Victim, fields: dict, request=None) -> Consent:
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


def case_search_audit(*, actor, text: str, found: int, via: str, request=None) -> None:
    """A search that can match names or identifiers reads personal data (rule 3): the log keeps
    who searched, through what, how many words, whether the text reads as an identifier, and
    how many cases came back; never the words themselves. Only a searcher who reads some case's
    personal data can match names, so only their searches are reads."""
    if not text.strip() or not cases_personal_to(user=actor).exists():
        return
    country = principal_for(actor).country_id
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="cases.case",
        subject_country=country or "",
        purpose="case search",
        detail={
            "via": via,
            "words": len(text.split()),
            "identifier": bool(identifier_forms(text, region=country)),
            "found": found,
        },
        request=request,
    )

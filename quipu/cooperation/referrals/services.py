"""Opening, answering and closing consular referrals: permission, audit, then the change.

Each service checks who acts through the tenancy layer (and selectors.referral_sides for the
two parties), writes an audit row with codes and ids only, and notifies the other side with a
title and a link, never personal data.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.models import Case, Consent, Person, Victim
from quipu.cases.search_index import search_texts_refresh
from quipu.cooperation.receipts.services import receipt_issue
from quipu.cooperation.referrals.disclosure import Disclosure
from quipu.cooperation.referrals.kinds import (
    REFERRAL_ANSWERED,
    REFERRAL_CLOSED,
    REFERRAL_NEW,
    REFERRAL_WITHDRAWN,
)
from quipu.cooperation.referrals.models import (
    OPEN_STATES,
    Assistance,
    Outcome,
    Referral,
    ReferralEvent,
    State,
    Urgency,
)
from quipu.cooperation.referrals.selectors import (
    found_in_country,
    referral_sides,
    victims_referable_by,
)
from quipu.cooperation.referrals.workflows import HOME, REFERRING, TRANSITIONS
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.linkage.services import encodings_refresh_after_commit
from quipu.notifications.services import notify, recipients_with
from quipu.tenancy.models import Institution
from quipu.tenancy.permissions import denial_record, principal_for, require, scoped
from quipu.tenancy.roles import Capability

COMMENT_MAX = 2000


def referral_open(
    *,
    actor,
    victim: Victim,
    assistance: list[str],
    urgency: str,
    contact_name: str,
    contact_email: str = "",
    contact_phone: str = "",
    assistance_details: str = "",
    request=None,
) -> Referral:
    """Refer a victim of the actor's institution to the focal point of their home country."""
    require(actor, Capability.OPEN_REFERRALS, request=request)
    own = scoped(actor, Victim.objects.filter(pk=victim.pk), Capability.OPEN_REFERRALS)
    if not own.exists():
        denial_record(actor, capability=Capability.OPEN_REFERRALS, obj=victim, request=request)
        raise NotAllowed()
    if not victims_referable_by(user=actor).filter(pk=victim.pk).exists():
        raise InvalidInput(
            _("Only victims who are citizens of another member state can be referred.")
        )
    _check_referral_fields(assistance, urgency, contact_name)
    victim = Victim.objects.select_related("person", "case__owner").get(pk=victim.pk)
    fields = {
        "referring_institution_id": principal_for(actor).institution_id,
        "referring_country_id": found_in_country(user=actor),
        "home_country_id": victim.person.citizenship_id,
        "victim": victim,
        "assistance": sorted(set(assistance)),
        "assistance_details": assistance_details.strip(),
        "urgency": urgency,
        "contact_name": contact_name.strip(),
        "contact_email": contact_email.strip(),
        "contact_phone": contact_phone.strip(),
        "opened_by": actor,
    }
    with transaction.atomic():
        open_already = Referral.objects.filter(victim=victim, state__in=OPEN_STATES)
        if open_already.exists():
            raise InvalidTransition(_("This victim already has an open referral."))
        try:
            with transaction.atomic():
                referral = Referral.objects.create(sent_at=timezone.now(), **fields)
        except IntegrityError:  # a concurrent referral of the same victim won the race
            raise InvalidTransition(_("This victim already has an open referral.")) from None
        _event(referral, actor, "open", "", State.SENT)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=referral,
            purpose=purpose_of(referral),
            detail={"victim": victim.pk, "home_country": referral.home_country_id},
            request=request,
        )
        referral_receipt(
            referral,
            "referral.sent",
            actor,
            {"assistance": referral.assistance, "urgency": referral.urgency},
        )
        home_side_notify(referral, REFERRAL_NEW)
    return referral


def foreign_victim_register(
    *, actor, person: dict, consent: bool, share_with_home_country: bool, request=None
) -> Victim:
    """A consular officer registers a victim found abroad: a case of their own consulate with
    one victim and the victim's consent record."""
    principal = require(actor, Capability.REGISTER_FOREIGN_VICTIMS, request=request)
    owner = Institution.objects.get(pk=principal.institution_id)
    if person.get("citizenship_id") in (None, "", owner.located_in_id):
        raise InvalidInput(_("Choose the victim's citizenship: another member state."))
    today = timezone.localdate()
    with transaction.atomic():
        case = Case.objects.create(
            owner=owner,
            created_by=actor,
            source_key=f"consular:{uuid.uuid4()}",
            reference=f"pending-{uuid.uuid4()}"[:40],
            registered_on=today,
            registration_year=today.year,
            datasource="consular",
        )
        case.reference = f"{owner.country_id}-C-{today.year}-{case.pk:06d}"
        case.save(update_fields=["reference"])
        person_row = Person.objects.create(owner=owner, **person)
        victim = Victim.objects.create(
            case=case, person=person_row, agreement_to_manage_data=consent
        )
        Consent.objects.create(
            victim=victim,
            consent=consent,
            share_with_home_country=consent and share_with_home_country,
            given_on=today if consent else None,
        )
        search_texts_refresh([case.pk])
        audit_record(actor=actor, action=Action.CREATE, obj=case, request=request)
        audit_record(actor=actor, action=Action.CREATE, obj=person_row, request=request)
        # Like any new person, the victim takes part in cross-border matching.
        encodings_refresh_after_commit([person_row.pk])
    return victim


# The input each refusal of a transition is about, so that the API names it (rule 4).
INPUT_FIELD = {
    "reason_required": "comment",
    "comment_too_long": "comment",
    "outcome_required": "outcome",
}


def referral_transition(
    *, actor, referral: Referral, action: str, comment: str = "", outcome: str = "", request=None
) -> Referral:
    """Move the referral along workflows.TRANSITIONS, if the actor's side may take `action`."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise InvalidInput(_("Unknown action."))
    if transition.side not in referral_sides(user=actor, referral=referral):
        needed = (
            Capability.ANSWER_REFERRALS if transition.side == HOME else Capability.OPEN_REFERRALS
        )
        denial_record(actor, capability=needed, obj=referral, request=request)
        raise NotAllowed()
    comment = (comment or "").strip()
    if transition.needs_comment and not comment:
        raise InvalidInput(_("Give the reason."), code="reason_required")
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(
            _("The comment is too long: at most %(max)s characters.") % {"max": COMMENT_MAX},
            code="comment_too_long",
        )
    if transition.needs_outcome and outcome not in Outcome.values:
        raise InvalidInput(_("Choose the outcome."), code="outcome_required")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.state not in transition.sources:
            raise InvalidTransition()
        before = referral.state
        referral.state = transition.target
        if transition.needs_outcome:
            referral.outcome = outcome
        referral.save(update_fields=["state", "outcome", "updated_at"])
        _event(referral, actor, action, before, referral.state, comment)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=referral,
            purpose=purpose_of(referral),
            detail={"action": action, "from": before, "to": referral.state, "outcome": outcome},
            request=request,
        )
        if action == "close":
            referral_receipt(referral, "referral.closed", actor, {"outcome": outcome})
        if action == "withdraw":
            referral_receipt(referral, "referral.withdrawn", actor, {"from": before})
            home_side_notify(referral, REFERRAL_WITHDRAWN)
        else:
            kind = REFERRAL_CLOSED if action == "close" else REFERRAL_ANSWERED
            referring_side_notify(referral, kind)
    return referral


def referral_receipt(referral: Referral, event: str, actor, content: dict) -> None:
    """A signed receipt for both countries that the referral was sent or closed: ids and codes
    only (quipu/cooperation/receipts), so either side can later prove the step was taken."""
    parties = [referral.referring_institution.country_id, referral.home_country_id]
    receipt_issue(
        event=event,
        subject=referral,
        parties=list(dict.fromkeys(parties)),
        content={"referral": referral.pk, "home_country": referral.home_country_id, **content},
        actor=actor,
    )


def home_side_notify(referral: Referral, kind: str) -> None:
    """The focal points who answer referrals for the victim's home country."""
    notify(
        recipients=recipients_with(Capability.ANSWER_REFERRALS, country=referral.home_country_id),
        kind=kind,
        url=reverse("referrals:detail", args=[referral.pk]),
        reference=referral.reference,
        country=referral.referring_country_id,
    )


def referring_side_notify(referral: Referral, kind: str) -> None:
    """The user who opened the referral and their institution's referring officers."""
    users = list(
        recipients_with(Capability.OPEN_REFERRALS, institution_id=referral.referring_institution_id)
    )
    if referral.opened_by is not None:
        users.append(referral.opened_by)
    notify(
        recipients=users,
        kind=kind,
        url=reverse("referrals:detail", args=[referral.pk]),
        reference=referral.reference,
        country=referral.home_country_id,
    )


def _event(referral, actor, action, before, after, comment="") -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral,
        action=action,
        from_state=before,
        to_state=after,
        actor=actor,
        at=timezone.now(),
        comment=comment,
    )


def _check_referral_fields(assistance: list[str], urgency: str, contact_name: str) -> None:
    if not assistance or not set(assistance) <= set(Assistance.values):
        raise InvalidInput(_("Choose at least one kind of assistance."))
    if urgency not in Urgency.values:
        raise InvalidInput(_("Choose the urgency."))
    if not (contact_name or "").strip():
        raise InvalidInput(_("Name the contact person at your institution."))


def purpose_of(referral: Referral) -> str:
    """The audit purpose of every read and change made through a referral."""
    return f"consular referral {referral.reference}"


def referral_read_audit(
    *, actor, referral: Referral, disclosure: Disclosure, via: str, request=None
) -> None:
    """Audit a view of a referral that shows personal data, with the referral as purpose."""
    if not disclosure.personal:
        return
    audit_record(
        actor=actor,
        action=Action.READ,
        obj=referral.victim.person,
        purpose=purpose_of(referral),
        detail={"referral": referral.pk, "side": disclosure.side, "via": via, "personal": True},
        request=request,
    )


def side_for_reading(sides: set[str]) -> str:
    """The referring side reads its own record whole; otherwise the home country's view."""
    return REFERRING if REFERRING in sides else HOME


def foreign_victim_refer(
    *,
    actor,
    person: dict,
    consent: bool,
    share_with_home_country: bool,
    referral: dict,
    request=None,
) -> Referral:
    """Register a victim found abroad and refer them, both or neither."""
    require(actor, Capability.REGISTER_FOREIGN_VICTIMS, request=request)
    _check_referral_fields(
        referral.get("assistance", []),
        referral.get("urgency", ""),
        referral.get("contact_name", ""),
    )
    with transaction.atomic():
        victim = foreign_victim_register(
            actor=actor,
            person=person,
            consent=consent,
            share_with_home_country=share_with_home_country,
            request=request,
        )
        return referral_open(actor=actor, victim=victim, request=request, **referral)

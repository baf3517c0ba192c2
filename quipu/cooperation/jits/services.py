"""Opening a JIT, its membership and closing it: permission, audit, then the change.

Each service checks who acts through the tenancy layer and the membership (selectors), writes
an audit row with codes and ids only, records the history and notifies with a title and a link.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cooperation.jits.kinds import JIT_CLOSED, JIT_INVITED, JIT_REMOVED
from quipu.cooperation.jits.models import Event, Jit, LegalBasis, Member, MemberState, State
from quipu.cooperation.jits.selectors import accepted_countries, may_answer, member_users
from quipu.cooperation.jits.workflows import (
    JIT_TRANSITIONS,
    MEMBER_TRANSITIONS,
    MIN_COUNTRIES,
    WRITABLE_STATES,
)
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.notifications.services import notify, recipients_with
from quipu.tenancy.models import Institution
from quipu.tenancy.permissions import denial_record, principal_for, require
from quipu.tenancy.roles import Capability


def purpose_of(jit: Jit) -> str:
    """The audit purpose of every read and change made through a JIT."""
    return f"joint investigation team {jit.reference}"


def jit_open(
    *,
    actor,
    name: str,
    lead_country: str,
    legal_basis: str,
    legal_basis_details: str = "",
    starts_on: date,
    ends_on: date,
    invite: list[Institution] = (),
    request=None,
) -> Jit:
    """A prosecutor opens a JIT with their own institution as its first (accepted) member."""
    principal = require(actor, Capability.OPEN_JIT, request=request)
    if principal.institution_id is None or not principal.can(Capability.WORK_IN_JIT):
        raise NotAllowed()
    jit_fields_check(name=name, legal_basis=legal_basis, starts_on=starts_on, ends_on=ends_on)
    countries = {principal.country_id} | {institution.country_id for institution in invite}
    if lead_country not in countries:
        raise InvalidInput(_("The lead country must be the country of one of the members."))
    now = timezone.now()
    with transaction.atomic():
        jit = Jit.objects.create(
            name=name.strip(),
            opening_institution_id=principal.institution_id,
            lead_country_id=lead_country,
            legal_basis=legal_basis,
            legal_basis_details=legal_basis_details.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            opened_by=actor,
            opened_at=now,
        )
        Member.objects.create(
            jit=jit,
            institution_id=principal.institution_id,
            state=MemberState.ACCEPTED,
            invited_by=actor,
            invited_at=now,
            answered_at=now,
        )
        event_record(jit, actor, "open", "", State.PROPOSED, principal.institution_id)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=jit,
            purpose=purpose_of(jit),
            detail={"jit": jit.pk, "lead_country": lead_country, "legal_basis": legal_basis},
            request=request,
        )
        for institution in invite:
            jit_invite(actor=actor, jit=jit, institution=institution, request=request)
    return jit


def jit_fields_check(*, name: str, legal_basis: str, starts_on: date, ends_on: date) -> None:
    if not (name or "").strip():
        raise InvalidInput(_("Give the operation a name."))
    if legal_basis not in LegalBasis.values:
        raise InvalidInput(_("Choose the legal basis."))
    if ends_on < starts_on:
        raise InvalidInput(_("The end date must not be before the start date."))


def jit_invite(*, actor, jit: Jit, institution: Institution, request=None) -> Member:
    """An accepted member's prosecutor invites an institution of a member state."""
    principal = _acting_member(actor, jit, request)
    if not principal.can(Capability.OPEN_JIT):
        denial_record(actor, capability=Capability.OPEN_JIT, obj=jit, request=request)
        raise NotAllowed()
    if not institution.country.is_member:
        raise InvalidInput(_("Only institutions of member states can be invited."))
    transition = MEMBER_TRANSITIONS["invite"]
    with transaction.atomic():
        jit = writable(jit)
        member = Member.objects.filter(jit=jit, institution=institution).first()
        before = member.state if member else ""
        if before not in transition.sources:
            raise InvalidTransition(_("This institution is already invited or a member."))
        now = timezone.now()
        if member is None:
            member = Member(jit=jit, institution=institution, invited_at=now)
        member.state, member.invited_by, member.invited_at = MemberState.INVITED, actor, now
        member.answered_at = None
        member.save()
        event_record(jit, actor, "invite", before, member.state, institution.pk)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=jit,
            purpose=purpose_of(jit),
            detail={"jit": jit.pk, "invited": institution.code},
            request=request,
        )
        notify(
            recipients=recipients_with(Capability.WORK_IN_JIT, institution_id=institution.pk),
            kind=JIT_INVITED,
            url=reverse("jits:list"),
            reference=jit.reference,
            country=jit.lead_country_id,
        )
    return member


def membership_answer(*, actor, jit: Jit, action: str, request=None) -> Member:
    """The invited institution's prosecutor or focal point accepts or declines; an acceptance
    that brings members of two countries activates the JIT."""
    if action not in ("accept", "decline"):
        raise InvalidInput(_("Unknown action."))
    principal = principal_for(actor)
    member = Member.objects.filter(jit=jit, institution_id=principal.institution_id).first()
    if member is None or not may_answer(principal):
        denial_record(actor, capability=Capability.WORK_IN_JIT, obj=jit, request=request)
        raise NotAllowed()
    return _member_move(actor, jit, member, action, request)


def membership_leave(*, actor, jit: Jit, request=None) -> Member:
    """A member not of the lead country leaves; the lead country's members close instead."""
    principal = _acting_member(actor, jit, request)
    if principal.country_id == jit.lead_country_id:
        raise InvalidTransition(_("The lead country's members close the JIT rather than leave."))
    member = Member.objects.get(jit=jit, institution_id=principal.institution_id)
    return _member_move(actor, jit, member, "leave", request)


def member_remove(*, actor, jit: Jit, institution: Institution, request=None) -> Member:
    """A prosecutor of an accepted member of the lead country removes another institution,
    invited or accepted; its users lose the workspace at once. Re-inviting is possible."""
    principal = _acting_member(actor, jit, request)
    if not _removes_members(principal, jit):
        denial_record(actor, capability=Capability.OPEN_JIT, obj=jit, request=request)
        raise NotAllowed(_("Only prosecutors of the lead country may remove a member."))
    if institution.pk == principal.institution_id:
        raise InvalidInput(_("Your institution cannot remove itself; close the JIT instead."))
    member = Member.objects.filter(jit=jit, institution=institution).first()
    if member is None:
        raise InvalidInput(_("This institution is not a member of the JIT."))
    with transaction.atomic():
        member = _member_move(actor, jit, member, "remove", request)
        notify(
            recipients=recipients_with(Capability.WORK_IN_JIT, institution_id=institution.pk),
            kind=JIT_REMOVED,
            url=reverse("jits:list"),
            reference=jit.reference,
            country=jit.lead_country_id,
        )
    return member


def members_removable(*, principal, jit: Jit) -> set[int]:
    """The institutions `principal` may remove: the other invited or accepted members, for a
    prosecutor of the lead country; none for anyone else."""
    if not _removes_members(principal, jit):
        return set()
    sources = MEMBER_TRANSITIONS["remove"].sources
    members = Member.objects.filter(jit=jit, state__in=sources)
    return set(
        members.exclude(institution_id=principal.institution_id).values_list(
            "institution_id", flat=True
        )
    )


def _removes_members(principal, jit: Jit) -> bool:
    return principal.country_id == jit.lead_country_id and principal.can(Capability.OPEN_JIT)


def _member_move(actor, jit: Jit, member: Member, action: str, request) -> Member:
    transition = MEMBER_TRANSITIONS[action]
    with transaction.atomic():
        jit = writable(jit)
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.state not in transition.sources:
            raise InvalidTransition()
        before, member.state = member.state, transition.target
        member.answered_at = timezone.now()
        member.save(update_fields=["state", "answered_at"])
        event_record(jit, actor, action, before, member.state, member.institution_id)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=jit,
            purpose=purpose_of(jit),
            detail={"jit": jit.pk, "member": member.institution_id, "action": action},
            request=request,
        )
        enough = len(accepted_countries(jit=jit)) >= MIN_COUNTRIES
        if action == "accept" and jit.state == State.PROPOSED and enough:
            _jit_move(actor, jit, "activate", request)
    return member


def jit_close(*, actor, jit: Jit, request=None) -> Jit:
    """An accepted member of the lead country closes the JIT: the workspace becomes read-only."""
    principal = _acting_member(actor, jit, request)
    if principal.country_id != jit.lead_country_id:
        denial_record(actor, capability=Capability.WORK_IN_JIT, obj=jit, request=request)
        raise NotAllowed(_("Only members of the lead country may close the JIT."))
    with transaction.atomic():
        jit = _jit_move(actor, jit, "close", request)
        notify(
            recipients=member_users(jit=jit),
            kind=JIT_CLOSED,
            url=_detail_url(jit),
            reference=jit.reference,
        )
    return jit


def _jit_move(actor, jit: Jit, action: str, request) -> Jit:
    transition = JIT_TRANSITIONS[action]
    jit = Jit.objects.select_for_update().get(pk=jit.pk)
    if jit.state not in transition.sources:
        raise InvalidTransition()
    before, jit.state = jit.state, transition.target
    jit.save(update_fields=["state", "updated_at"])
    institution_id = principal_for(actor).institution_id or jit.opening_institution_id
    event_record(jit, actor, action, before, jit.state, institution_id)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=jit,
        purpose=purpose_of(jit),
        detail={"jit": jit.pk, "action": action, "from": before, "to": jit.state},
        request=request,
    )
    return jit


def _acting_member(actor, jit: Jit, request):
    """The actor's principal, if they work in JITs for an accepted member of `jit`."""
    principal = principal_for(actor)
    accepted = Member.objects.filter(
        jit=jit, institution_id=principal.institution_id, state=MemberState.ACCEPTED
    )
    if not principal.can(Capability.WORK_IN_JIT) or not accepted.exists():
        denial_record(actor, capability=Capability.WORK_IN_JIT, obj=jit, request=request)
        raise NotAllowed()
    return principal


def acting_member(actor, jit: Jit, request=None):
    return _acting_member(actor, jit, request)


def writable(jit: Jit) -> Jit:
    """The JIT locked for a change of its workspace or membership; refused once closed."""
    jit = Jit.objects.select_for_update().select_related("opening_institution").get(pk=jit.pk)
    if jit.state not in WRITABLE_STATES:
        raise InvalidTransition(_("The JIT is closed: its workspace is read-only."))
    return jit


def event_record(jit, actor, action, before, after, institution_id) -> Event:
    return Event.objects.create(
        jit=jit,
        institution_id=institution_id,
        action=action,
        from_state=before,
        to_state=after,
        actor=actor,
        at=timezone.now(),
    )


def _detail_url(jit: Jit) -> str:
    return reverse("jits:detail", args=[jit.pk])

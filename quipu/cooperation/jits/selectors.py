"""Reads of JITs, scoped for the user asking.

A JIT is not one country's record: it is reached through its accepted members. `scoped()`
knows one owner per model, so visibility is built here from the permission layer's principal:
a user sees a JIT only if their institution is an accepted member and they hold WORK_IN_JIT.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from quipu.cases.models import Case
from quipu.cooperation.jits.models import Jit, Member, MemberState
from quipu.tenancy.models import Institution, User
from quipu.tenancy.permissions import denial_record, principal_for, scoped
from quipu.tenancy.roles import Capability


def _jits() -> QuerySet[Jit]:
    return Jit.objects.select_related("lead_country", "opening_institution")


def jits_visible_to(*, user) -> QuerySet[Jit]:
    """The JITs of which the user's institution is an accepted member (WORK_IN_JIT holders)."""
    principal = principal_for(user)
    if not principal.can(Capability.WORK_IN_JIT) or principal.institution_id is None:
        return Jit.objects.none()
    members = Member.objects.filter(
        institution_id=principal.institution_id, state=MemberState.ACCEPTED
    )
    return _jits().filter(pk__in=members.values("jit_id"))


def jit_visible(*, user, pk: int, request=None) -> Jit:
    """One JIT the user's institution is an accepted member of, else 404 (denial audited)."""
    jit = jits_visible_to(user=user).filter(pk=pk).first()
    if jit is None:
        hidden = _jits().filter(pk=pk).first()
        if hidden is not None:
            denial_record(user, capability=Capability.WORK_IN_JIT, obj=hidden, request=request)
        raise Http404
    return jit


def invitations_for(*, user) -> QuerySet[Member]:
    """Open invitations of the user's institution, for those who may answer them."""
    principal = principal_for(user)
    if not may_answer(principal) or principal.institution_id is None:
        return Member.objects.none()
    return Member.objects.select_related("jit__lead_country", "jit__opening_institution").filter(
        institution_id=principal.institution_id, state=MemberState.INVITED
    )


def may_answer(principal) -> bool:
    """An invitation commits the institution: its prosecutors or its focal point answer it."""
    return principal.can(Capability.WORK_IN_JIT) and (
        principal.can(Capability.OPEN_JIT) or principal.can(Capability.APPROVE_DISCLOSURE)
    )


def members_of(*, jit: Jit) -> QuerySet[Member]:
    return Member.objects.filter(jit=jit).select_related("institution__country")


def accepted_countries(*, jit: Jit) -> set[str]:
    rows = members_of(jit=jit).filter(state=MemberState.ACCEPTED)
    return {row.institution.country_id for row in rows}


def member_users(*, jit: Jit) -> QuerySet[User]:
    """Active users of the accepted member institutions who work in JITs (for notifications and
    as task owners)."""
    from quipu.notifications.services import recipients_with

    institutions = members_of(jit=jit).filter(state=MemberState.ACCEPTED).values("institution_id")
    return recipients_with(Capability.WORK_IN_JIT).filter(
        membership__institution_id__in=institutions
    )


def institutions_invitable(*, jit: Jit) -> QuerySet[Institution]:
    """Prosecutors' offices and ministries of member states that are not members already."""
    taken = (
        members_of(jit=jit)
        .filter(state__in=(MemberState.INVITED, MemberState.ACCEPTED))
        .values("institution_id")
    )
    return (
        Institution.objects.filter(country__is_member=True)
        .exclude(pk__in=taken)
        .select_related("country")
        .order_by("country_id", "code")
    )


def cases_linkable_by(*, user) -> QuerySet[Case]:
    """Cases the user's country owns and the user may read: what a member may link."""
    principal = principal_for(user)
    if principal.country_id is None:
        return Case.objects.none()
    cases = scoped(user, Case.objects.select_related("owner"), Capability.READ_CASES)
    return cases.filter(owner__country_id=principal.country_id)


def case_cards(*, jit: Jit) -> list[dict]:
    """The linked cases as reference cards: reference, owner, kind and status, never more."""
    links = jit.case_links.select_related("case__owner__country", "institution")
    return [
        {
            "link": link,
            "reference": link.case.reference,
            "country": link.case.owner.country_id,
            "country_name": link.case.owner.country.name,
            "institution": link.case.owner.code,
            "kind": link.case.kind,
            "status": link.case.status,
        }
        for link in links
    ]

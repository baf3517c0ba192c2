"""Reads of information requests and grants, scoped for the user asking.

A request has two parties: the requesting side (OPEN_REQUESTS, owned by the requesting
institution) and the receiving side (the receiving country's ANSWER_REQUESTS holders).
`scoped()` knows one owner path per model, so the union is built here from the principal.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from quipu.cases.models import Case, Victim
from quipu.cooperation.receipts.selectors import receipts_of_subject
from quipu.cooperation.requests.models import Grant, InformationRequest
from quipu.cooperation.requests.workflows import RECEIVING, REQUESTER
from quipu.linkage.models import MatchNotice, MatchNoticeSide, PersonEncoding
from quipu.tenancy.permissions import (
    denial_record,
    principal_for,
    scoped,
    scoped_addressed,
    sealed_institution,
)
from quipu.tenancy.roles import Capability


def _requests() -> QuerySet[InformationRequest]:
    return InformationRequest.objects.select_related(
        "requesting_institution", "requesting_country", "receiving_country", "opened_by"
    )


def requests_outgoing(*, user) -> QuerySet[InformationRequest]:
    """Requests the user's country (or institution, per the grant's scope) sent."""
    return scoped(user, _requests(), Capability.OPEN_REQUESTS)


def requests_incoming(*, user) -> QuerySet[InformationRequest]:
    """Requests sent to the user's country, for its focal points."""
    return scoped_addressed(
        user, _requests(), Capability.ANSWER_REQUESTS, country_path="receiving_country_id"
    )


def requests_visible_to(*, user) -> QuerySet[InformationRequest]:
    """Both sides: what the user's side sent and what was sent to their country."""
    outgoing = requests_outgoing(user=user).values("pk")
    incoming = requests_incoming(user=user).values("pk")
    return _requests().filter(Q(pk__in=outgoing) | Q(pk__in=incoming))


def request_sides(*, user, information_request: InformationRequest) -> set[str]:
    """Which sides of the request the user acts for: REQUESTER, RECEIVING, both or neither."""
    sides = set()
    if requests_outgoing(user=user).filter(pk=information_request.pk).exists():
        sides.add(REQUESTER)
    if requests_incoming(user=user).filter(pk=information_request.pk).exists():
        sides.add(RECEIVING)
    return sides


def request_visible(*, user, pk: int, request=None) -> InformationRequest:
    """One request the user is a party to, else 404 (audited as denied if it exists)."""
    found = requests_visible_to(user=user).filter(pk=pk).first()
    if found is None:
        hidden = _requests().filter(pk=pk).first()
        if hidden is not None:
            denial_record(user, capability=Capability.OPEN_REQUESTS, obj=hidden, request=request)
        raise Http404
    return found


def requests_filtered(*, user, box: str, state: str = "") -> QuerySet[InformationRequest]:
    """The outgoing ("out") or incoming ("in") box, optionally in one state."""
    queryset = requests_incoming(user=user) if box == "in" else requests_outgoing(user=user)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-sent_at", "-id")


def grant_active(*, user, information_request: InformationRequest) -> Grant | None:
    """The request's grant, read fresh from the database, if it is neither revoked nor expired
    and the user acts for the requesting side: the check every grant read makes."""
    if REQUESTER not in request_sides(user=user, information_request=information_request):
        return None
    grant = Grant.objects.filter(information_request_id=information_request.pk).first()
    return grant if grant is not None and grant.is_active else None


def linked_notices_for(*, user) -> QuerySet[MatchNotice]:
    """Confirmed cross-border links with a side in the user's country (for OPEN_REQUESTS)."""
    principal = principal_for(user)
    if not principal.can(Capability.OPEN_REQUESTS) or principal.country_id is None:
        return MatchNotice.objects.none()
    own = MatchNoticeSide.objects.filter(institution__country_id=principal.country_id)
    return MatchNotice.objects.filter(
        status=MatchNotice.Status.LINKED, pk__in=own.values("notice_id")
    ).order_by("-pk")


def notice_other_country(notice: MatchNotice, own_country: str) -> str | None:
    """The country of the side of `notice` that is not `own_country`."""
    other = (
        MatchNoticeSide.objects.filter(notice=notice)
        .exclude(institution__country_id=own_country)
        .select_related("institution")
        .first()
    )
    return other.institution.country_id if other else None


def notice_owner_cases(notice: MatchNotice | None, country: str) -> list[Case]:
    """The owner's case(s) behind its side of the notice: what the answer form pre-fills."""
    if notice is None:
        return []
    encodings = MatchNoticeSide.objects.filter(
        notice=notice, institution__country_id=country
    ).values("encoding_id")
    persons = PersonEncoding.objects.filter(pk__in=encodings).values("person_id")
    victims = Victim.objects.filter(person_id__in=persons, case__owner__country_id=country)
    cases = Case.objects.filter(pk__in=victims.values("case_id"))
    # Not through scoped() (the notice names the country, not a reader), so the consular seal
    # is applied here: a consulate's case abroad is never offered for disclosure.
    return list(cases.exclude(sealed_institution("owner")).order_by("pk"))


def own_cases_for(*, user) -> QuerySet[Case]:
    """The user's country's cases a request may start from."""
    return scoped(user, Case.objects.all(), Capability.READ_CASES)


def answerable_cases(*, user, information_request: InformationRequest) -> QuerySet[Case]:
    """The receiving country's cases its focal point may disclose in an answer."""
    return scoped(user, Case.objects.all(), Capability.ANSWER_REQUESTS).filter(
        owner__country_id=information_request.receiving_country_id
    )


def receipts_of(*, user, information_request: InformationRequest) -> list:
    """The certified receipts of the request the user may read, oldest first."""
    return list(receipts_of_subject(user=user, subject=information_request))

"""Reads of receipts, scoped for the user asking.

A receipt has two owners (its parties), which `scoped()` cannot express with one owner path,
so the rule is written here from the permission layer's principal: the user's country is
among the parties and the user holds a capability of the cooperation workflows.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from quipu.cooperation.receipts.models import Receipt
from quipu.tenancy.permissions import denial_record, principal_for
from quipu.tenancy.roles import Capability

# Who takes part in information requests or consular referrals, on either side.
PARTY_CAPABILITIES = (
    Capability.OPEN_REQUESTS,
    Capability.ANSWER_REQUESTS,
    Capability.OPEN_REFERRALS,
    Capability.ANSWER_REFERRALS,
)


def receipt_reader(user) -> bool:
    """Whether `user` holds one of the capabilities that give access to receipts at all."""
    principal = principal_for(user)
    return principal.country_id is not None and any(
        principal.can(capability) for capability in PARTY_CAPABILITIES
    )


def receipts_visible_to(*, user) -> QuerySet[Receipt]:
    """Receipts whose parties include the user's country, for the workflows' users only.

    The secretariat never reads case exchanges, so it sees none."""
    if not receipt_reader(user):
        return Receipt.objects.none()
    return Receipt.objects.filter(parties=principal_for(user).country_id)


def receipts_filtered(*, user, event: str = "") -> QuerySet[Receipt]:
    queryset = receipts_visible_to(user=user)
    if event:
        queryset = queryset.filter(event=event)
    return queryset.order_by("-issued_at", "id")


def receipts_of_subject(*, user, subject) -> QuerySet[Receipt]:
    """The receipts of one workflow record (e.g. an InformationRequest) the user may read,
    oldest first: what a workflow's detail page shows."""
    return (
        receipts_visible_to(user=user)
        .filter(object_type=subject._meta.label_lower, object_id=str(subject.pk))
        .order_by("issued_at", "id")
    )


def receipt_events_for(*, user) -> list[str]:
    """The event codes of the receipts the user sees, for the list's filter."""
    events = receipts_visible_to(user=user).values_list("event", flat=True)
    return sorted(set(events))


def receipt_visible(*, user, pk, request=None) -> Receipt:
    """One receipt the user may read, else 404 (audited as denied if it exists)."""
    receipt = receipts_visible_to(user=user).filter(pk=pk).first()
    if receipt is None:
        hidden = Receipt.objects.filter(pk=pk).first()
        if hidden is not None:
            denial_record(user, capability=Capability.OPEN_REQUESTS, obj=hidden, request=request)
        raise Http404
    return receipt

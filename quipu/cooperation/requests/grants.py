"""Reading under a grant, and the daily reminders.

`grant_records_read` is the only path by which the requesting side reads the owner's data. It
re-reads the grant on every call, so a revocation or an expiry stops access at the next
request; it audits each view with the request reference as purpose and issues a receipt.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cooperation.requests.categories import fields_of, record_disclosure
from quipu.cooperation.requests.kinds import GRANT_EXPIRING, REQUEST_DUE_SOON, REQUEST_OVERDUE
from quipu.cooperation.requests.models import OPEN_STATES, Grant, InformationRequest
from quipu.cooperation.requests.receipts import request_receipt_issue
from quipu.cooperation.requests.selectors import grant_active
from quipu.cooperation.requests.services import purpose_of, receiving_side, requester_side
from quipu.errors import NotAllowed
from quipu.notifications.services import notify
from quipu.tenancy.permissions import denial_record
from quipu.tenancy.roles import Capability

REMIND_DAYS = 3  # a reminder this many days before the due date
EXPIRY_NOTICE_DAYS = 7


def grant_records_read(
    *, actor, information_request: InformationRequest, via: str, request=None
) -> tuple[Grant, list[dict]]:
    """The granted fields of the granted records, for the requesting side while the grant
    lasts; NotAllowed otherwise (revoked, expired, or not a party)."""
    grant = grant_active(user=actor, information_request=information_request)
    if grant is None:
        denial_record(
            actor, capability=Capability.OPEN_REQUESTS, obj=information_request, request=request
        )
        raise NotAllowed()
    cases = list(grant.cases.order_by("pk"))
    records = [record_disclosure(case, grant.categories) for case in cases]
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.READ,
            obj=grant,
            purpose=purpose_of(information_request),
            detail={
                "request": information_request.pk,
                "cases": [case.pk for case in cases],
                "categories": grant.categories,
                "via": via,
            },
            request=request,
        )
        request_receipt_issue(
            event="disclosure",
            information_request=information_request,
            actor=actor,
            content={
                "cases": [case.pk for case in cases],
                "categories": grant.categories,
                "fields": [name for category in grant.categories for name in fields_of(category)],
            },
        )
    return grant, records


def requests_remind(*, today: datetime.date | None = None) -> int:
    """Daily: a reminder to the receiving focal points REMIND_DAYS before the due date, and an
    overdue notice to both sides the day after; each once. Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    open_requests = InformationRequest.objects.filter(state__in=OPEN_STATES)
    soon = open_requests.filter(
        due_on__gte=today, due_on__lte=today + datetime.timedelta(days=REMIND_DAYS)
    ).filter(reminded_on__isnull=True)
    for row in soon:
        url = reverse("requests:detail", args=[row.pk])
        notify(
            recipients=receiving_side(row),
            kind=REQUEST_DUE_SOON,
            url=url,
            reference=row.reference,
            country=row.requesting_country_id,
        )
        InformationRequest.objects.filter(pk=row.pk).update(reminded_on=today)
        sent += 1
    for row in open_requests.filter(due_on__lt=today, overdue_on__isnull=True):
        url = reverse("requests:detail", args=[row.pk])
        users = receiving_side(row) + requester_side(row)
        # Both sides hear it: the reference is the record; no single "other" country fits.
        notify(recipients=users, kind=REQUEST_OVERDUE, url=url, reference=row.reference)
        InformationRequest.objects.filter(pk=row.pk).update(overdue_on=today)
        sent += 1
    return sent


def grants_expiring_notify(*, today: datetime.date | None = None) -> int:
    """Daily: the requesting side hears once that a grant ends within EXPIRY_NOTICE_DAYS."""
    today = today or timezone.localdate()
    expiring = Grant.objects.filter(
        revoked_at__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=EXPIRY_NOTICE_DAYS),
        expiry_notified_on__isnull=True,
    ).select_related("information_request")
    sent = 0
    for grant in expiring:
        row = grant.information_request
        notify(
            recipients=requester_side(row),
            kind=GRANT_EXPIRING,
            url=reverse("requests:grant", args=[row.pk]),
            reference=row.reference,
            country=row.receiving_country_id,
        )
        Grant.objects.filter(pk=grant.pk).update(expiry_notified_on=today)
        sent += 1
    return sent

"""Opening and answering information requests: permission, audit, receipt, then notice.

Each service checks the actor's side through the permission layer (selectors.request_sides),
writes the history row and an audit row with the request reference as purpose (ids and codes
only), issues the certified receipt, and notifies the other side with a title and a link.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.models import Case
from quipu.cooperation.requests.kinds import (
    REQUEST_ANSWERED,
    REQUEST_CLARIFIED,
    REQUEST_NEW,
    REQUEST_WITHDRAWN,
)
from quipu.cooperation.requests.models import (
    Category,
    Grant,
    InformationRequest,
    LegalBasis,
    RequestEvent,
    State,
    Urgency,
)
from quipu.cooperation.requests.receipts import request_receipt_issue
from quipu.cooperation.requests.selectors import (
    answerable_cases,
    linked_notices_for,
    notice_other_country,
    own_cases_for,
    request_sides,
)
from quipu.cooperation.requests.workflows import RECEIVING, TRANSITIONS
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.linkage.models import MatchNotice
from quipu.notifications.services import notify, recipients_with
from quipu.tenancy.models import Country
from quipu.tenancy.permissions import denial_record, require
from quipu.tenancy.roles import Capability

COMMENT_MAX = 2000
GRANT_DAYS_DEFAULT = 90
GRANT_DAYS_MAX = 365


def purpose_of(information_request: InformationRequest) -> str:
    """The audit purpose of every read and change made through a request: its reference."""
    return information_request.reference


def information_request_open(
    *,
    actor,
    receiving_country: str,
    legal_basis: str,
    purpose: str,
    categories: list[str],
    urgency: str,
    due_on: datetime.date,
    legal_basis_details: str = "",
    notice: MatchNotice | None = None,
    case: Case | None = None,
    request=None,
) -> InformationRequest:
    """Send a request from the actor's institution to another member country."""
    principal = require(actor, Capability.OPEN_REQUESTS, request=request)
    if notice is not None:
        if not linked_notices_for(user=actor).filter(pk=notice.pk).exists():
            denial_record(actor, capability=Capability.OPEN_REQUESTS, request=request)
            raise NotAllowed()
        receiving_country = notice_other_country(notice, principal.country_id) or ""
    if case is not None and not own_cases_for(user=actor).filter(pk=case.pk).exists():
        denial_record(actor, capability=Capability.OPEN_REQUESTS, obj=case, request=request)
        raise NotAllowed()
    request_fields_check(
        requesting_country=principal.country_id,
        receiving_country=receiving_country,
        legal_basis=legal_basis,
        purpose=purpose,
        categories=categories,
        urgency=urgency,
        due_on=due_on,
    )
    with transaction.atomic():
        opened = InformationRequest.objects.create(
            requesting_institution_id=principal.institution_id,
            requesting_country_id=principal.country_id,
            receiving_country_id=receiving_country,
            notice=notice,
            case=case,
            legal_basis=legal_basis,
            legal_basis_details=(legal_basis_details or "").strip(),
            purpose=purpose.strip(),
            categories=[c for c in Category.values if c in set(categories)],
            urgency=urgency,
            due_on=due_on,
            opened_by=actor,
            sent_at=timezone.now(),
        )
        _event(opened, actor, "open", "", State.SENT)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=opened,
            purpose=purpose_of(opened),
            detail={
                "to": receiving_country,
                "categories": opened.categories,
                "notice": notice.pk if notice else None,
                "case": case.pk if case else None,
            },
            request=request,
        )
        request_receipt_issue(
            event="sent",
            information_request=opened,
            actor=actor,
            content={"categories": opened.categories, "due_on": due_on.isoformat()},
        )
        notify(
            recipients=recipients_with(Capability.ANSWER_REQUESTS, country=receiving_country),
            kind=REQUEST_NEW,
            url=reverse("requests:detail", args=[opened.pk]),
            reference=opened.reference,
            country=opened.requesting_country_id,
        )
    return opened


def request_fields_check(
    *, requesting_country, receiving_country, legal_basis, purpose, categories, urgency, due_on
) -> None:
    """The domain rules of a request's fields (forms and serializers check them first)."""
    if not Country.objects.filter(code=receiving_country or "", is_member=True).exists():
        raise InvalidInput(_("Choose the member country you send the request to."))
    if receiving_country == requesting_country:
        raise InvalidInput(_("A request goes to another member country than your own."))
    if legal_basis not in LegalBasis.values:
        raise InvalidInput(_("Choose the legal basis."))
    if not (purpose or "").strip():
        raise InvalidInput(_("State the purpose of the request."))
    if not categories or not set(categories) <= set(Category.values):
        raise InvalidInput(_("Choose at least one category of fields."))
    if urgency not in Urgency.values:
        raise InvalidInput(_("Choose the urgency."))
    if due_on is None or due_on <= timezone.localdate():
        raise InvalidInput(_("The due date must be after today."))


def information_request_transition(
    *,
    actor,
    information_request: InformationRequest,
    action: str,
    comment: str = "",
    categories: list[str] | None = None,
    cases: list[Case] | None = None,
    expires_on: datetime.date | None = None,
    request=None,
) -> InformationRequest:
    """Move the request along workflows.TRANSITIONS if the actor's side may take `action`;
    an approval creates the Grant of `cases` and `categories` until `expires_on`."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise InvalidInput(_("Unknown action."))
    sides = request_sides(user=actor, information_request=information_request)
    if transition.side not in sides:
        denial_record(
            actor, capability=transition.capability, obj=information_request, request=request
        )
        raise NotAllowed()
    comment = (comment or "").strip()
    if transition.needs_comment and not comment:
        raise InvalidInput(_("Give the reason or the question."))
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(
            _("The comment is too long: at most %(max)s characters.") % {"max": COMMENT_MAX}
        )
    with transaction.atomic():
        current = InformationRequest.objects.select_for_update().get(pk=information_request.pk)
        if current.state not in transition.sources:
            raise InvalidTransition()
        detail: dict = {"action": action, "from": current.state, "to": transition.target}
        if transition.grants:
            grant = _grant_create(
                actor, current, action, categories, cases, expires_on, request=request
            )
            detail.update(categories=grant.categories, cases=sorted(c.pk for c in cases or []))
        if action == "revoke":
            Grant.objects.filter(information_request=current).update(revoked_at=timezone.now())
        before = current.state
        current.state = transition.target
        current.save(update_fields=["state", "updated_at"])
        _event(current, actor, action, before, current.state, comment)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=current,
            purpose=purpose_of(current),
            detail=detail,
            request=request,
        )
        request_receipt_issue(
            event=action,
            information_request=current,
            actor=actor,
            content={k: v for k, v in detail.items() if k != "action"},
        )
        _notify_other_side(current, transition.side, action)
    return current


def _grant_create(actor, current, action, categories, cases, expires_on, *, request) -> Grant:
    if action == "approve":
        categories = list(current.categories)
    categories = [c for c in current.categories if c in set(categories or [])]
    if not categories:
        raise InvalidInput(_("Choose at least one of the requested categories."))
    if not cases:
        raise InvalidInput(_("Choose at least one of your country's records to disclose."))
    allowed = answerable_cases(user=actor, information_request=current)
    if allowed.filter(pk__in=[c.pk for c in cases]).count() != len({c.pk for c in cases}):
        denial_record(actor, capability=Capability.ANSWER_REQUESTS, obj=current, request=request)
        raise NotAllowed()
    today = timezone.localdate()
    expires_on = expires_on or today + datetime.timedelta(days=GRANT_DAYS_DEFAULT)
    if not today < expires_on <= today + datetime.timedelta(days=GRANT_DAYS_MAX):
        raise InvalidInput(
            _("The grant must expire after today and within %(days)s days.")
            % {"days": GRANT_DAYS_MAX}
        )
    grant = Grant.objects.create(
        information_request=current,
        owner_country_id=current.receiving_country_id,
        categories=categories,
        expires_on=expires_on,
        granted_by=actor,
        granted_at=timezone.now(),
    )
    grant.cases.set(cases)
    return grant


def information_request_receive(
    *, actor, information_request: InformationRequest, request=None
) -> None:
    """The receiving side's first opening: recorded once, with its receipt."""
    if RECEIVING not in request_sides(user=actor, information_request=information_request):
        return
    with transaction.atomic():
        updated = InformationRequest.objects.filter(
            pk=information_request.pk, received_at__isnull=True
        ).update(received_at=timezone.now())
        if not updated:
            return
        information_request.refresh_from_db()
        state = information_request.state
        _event(information_request, actor, "receive", state, state)
        audit_record(
            actor=actor,
            action=Action.READ,
            obj=information_request,
            purpose=purpose_of(information_request),
            detail={"received": True},
            request=request,
        )
        request_receipt_issue(
            event="received", information_request=information_request, actor=actor, content={}
        )


def _notify_other_side(information_request, side: str, action: str) -> None:
    url = reverse("requests:detail", args=[information_request.pk])
    reference = information_request.reference
    if side == RECEIVING:
        notify(
            recipients=requester_side(information_request),
            kind=REQUEST_ANSWERED,
            url=url,
            reference=reference,
            country=information_request.receiving_country_id,
        )
        return
    kind = REQUEST_CLARIFIED if action == "clarify" else REQUEST_WITHDRAWN
    notify(
        recipients=receiving_side(information_request),
        kind=kind,
        url=url,
        reference=reference,
        country=information_request.requesting_country_id,
    )


def requester_side(information_request) -> list:
    """The user who opened the request and the requesting institution's OPEN_REQUESTS holders."""
    users = list(
        recipients_with(
            Capability.OPEN_REQUESTS, institution_id=information_request.requesting_institution_id
        )
    )
    if information_request.opened_by is not None:
        users.append(information_request.opened_by)
    return users


def receiving_side(information_request) -> list:
    return list(
        recipients_with(
            Capability.ANSWER_REQUESTS, country=information_request.receiving_country_id
        )
    )


def _event(information_request, actor, action, before, after, comment="") -> RequestEvent:
    return RequestEvent.objects.create(
        information_request=information_request,
        action=action,
        from_state=before,
        to_state=after,
        actor=actor,
        at=timezone.now(),
        comment=comment,
    )

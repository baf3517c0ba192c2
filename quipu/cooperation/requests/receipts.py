"""Certified receipts of a request's steps, through the receipts app's service.

Every step goes through `request_receipt_issue`: sending, receipt (first opening by the
receiving side), each decision and each disclosure. Content holds ids, codes and field names
only, never a value of a record.
"""

from __future__ import annotations

from quipu.cooperation.receipts.services import receipt_issue
from quipu.cooperation.requests.models import InformationRequest


def request_receipt_issue(
    *, event: str, information_request: InformationRequest, actor, content: dict
):
    """Issue the signed receipt of `event` for both countries of the request."""
    parties = [information_request.requesting_country_id, information_request.receiving_country_id]
    return receipt_issue(
        event=f"requests.{event}",
        subject=information_request,
        parties=parties,
        content={"request": information_request.reference, **content},
        actor=actor,
    )

"""Certified receipts of a request's steps, through the receipts app's service.

Every call goes through `request_receipt_issue`, so that the one dependency on
quipu/cooperation/receipts sits here. Content holds ids, codes and field names only.
"""

from __future__ import annotations

from quipu.cooperation.requests.models import InformationRequest


def request_receipt_issue(
    *, event: str, information_request: InformationRequest, actor, content: dict
):
    """Issue the receipt of `event` for both countries of the request; None while the
    receipts service is not installed."""
    try:
        from quipu.cooperation.receipts.services import receipt_issue
    except ImportError:
        return None
    parties = [information_request.requesting_country_id, information_request.receiving_country_id]
    return receipt_issue(
        event=f"requests.{event}",
        subject=information_request,
        parties=parties,
        content={"request": information_request.reference, **content},
        actor=actor,
    )

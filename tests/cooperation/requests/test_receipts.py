"""Sending, receipt, each decision and each disclosure produce a certified receipt for both
countries, holding ids, codes and field names only; the request page links them."""

import pytest
from django.urls import reverse

from quipu.cooperation.receipts.models import Receipt
from tests.cooperation.requests.factories import (
    CITY,
    FIRST,
    OWNER_FOCAL,
    REQUESTER,
    request_granted,
)

pytestmark = pytest.mark.django_db


def _events(found) -> list[str]:
    rows = Receipt.objects.filter(object_id=str(found.pk)).order_by("issued_at", "id")
    return [row.event for row in rows]


def test_each_step_of_a_request_has_a_receipt_without_personal_values(region, login):
    found = request_granted()
    login(OWNER_FOCAL).get(reverse("requests:detail", args=[found.pk]))
    login(REQUESTER).get(reverse("requests:grant", args=[found.pk]))
    assert _events(found) == [
        "requests.sent",
        "requests.approve",
        "requests.received",
        "requests.disclosure",
    ]
    for receipt in Receipt.objects.filter(object_id=str(found.pk)):
        assert receipt.party_codes == ["PE", "CO"]
        assert FIRST not in receipt.document_json and CITY not in receipt.document_json
    disclosure = Receipt.objects.get(object_id=str(found.pk), event="requests.disclosure")
    assert "routeevent.city" in disclosure.document["content"]["fields"]


def test_the_request_page_links_its_receipts(region, login):
    found = request_granted()
    page = login(REQUESTER).get(reverse("requests:detail", args=[found.pk]))
    receipt = Receipt.objects.filter(object_id=str(found.pk)).first()
    assert reverse("receipts:download", args=[receipt.pk]) in page.content.decode()

"""The receipt pages and API: both parties download, nobody else does, and anyone may verify."""

import io
import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from quipu.audit.models import AuditEntry
from quipu.cases.models import Case
from quipu.cooperation.receipts.selectors import receipts_of_subject


@pytest.mark.parametrize("username", ["focal.co", "prosecutor.co", "focal.pe", "consul.pe"])
def test_both_parties_download_the_receipt_as_an_attachment_named_by_its_uuid(
    issue, login, username
):
    receipt = issue(country="CO", other="PE")
    response = login(username).get(reverse("receipts:download", args=[receipt.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="{receipt.pk}.json"'
    assert json.loads(response.content) == receipt.document


def test_a_download_is_audited_as_an_export(issue, login):
    receipt = issue()
    login("focal.pe").get(reverse("receipts:download", args=[receipt.pk]))
    entry = AuditEntry.objects.filter(object_id=str(receipt.pk), action="export").get()
    assert entry.actor_country == "PE"


@pytest.mark.parametrize("username", ["focal.ar", "prosecutor.br", "secretariat", "analyst.co"])
def test_rule1_other_countries_the_secretariat_and_analysts_get_404_for_a_receipt(
    issue, login, username
):
    receipt = issue(country="CO", other="PE")
    response = login(username).get(reverse("receipts:download", args=[receipt.pk]))
    assert response.status_code == 404
    denied = AuditEntry.objects.filter(object_id=str(receipt.pk), action="denied")
    assert denied.exists()


def test_rule1_the_api_detail_is_refused_to_another_country(issue, login):
    receipt = issue(country="CO", other="PE")
    response = login("focal.ar").get(reverse("api:receipt", args=[receipt.pk]))
    assert response.status_code == 404


def test_the_list_shows_the_receipts_of_the_users_country_filtered_by_event(issue, login):
    sent = issue(country="CO", other="PE", event="request.sent")
    answered = issue(country="PE", other="CO", event="request.answered")
    foreign = issue(country="AR", other="BR", event="request.sent")
    client = login("focal.co")
    page = client.get(reverse("receipts:list")).content.decode()
    assert str(sent.pk) in page and str(answered.pk) in page
    assert str(foreign.pk) not in page
    filtered = client.get(reverse("receipts:list"), {"event": "request.answered"})
    assert str(answered.pk) in filtered.content.decode()
    assert str(sent.pk) not in filtered.content.decode()


def test_the_secretariat_is_refused_the_list(region, login):
    assert login("secretariat").get(reverse("receipts:list")).status_code == 403


def test_the_api_lists_only_the_users_countrys_receipts(issue, login):
    own = issue(country="CO", other="PE")
    issue(country="AR", other="BR")
    response = login("prosecutor.pe").get(reverse("api:receipts"))
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [str(own.pk)]
    assert response.json()["results"][0]["parties"] == ["CO", "PE"]


def test_the_api_detail_is_the_signed_document(issue, login):
    receipt = issue()
    response = login("focal.pe").get(reverse("api:receipt", args=[receipt.pk]))
    assert response.json() == receipt.document


def _upload(document) -> io.BytesIO:
    upload = io.BytesIO(json.dumps(document).encode())
    upload.name = "receipt.json"
    return upload


def test_the_verify_page_says_a_genuine_receipt_is_valid(issue, login):
    document = issue().document
    response = login("analyst.ar").post(
        reverse("receipts:verify"), {"receipt_file": _upload(document)}
    )
    assert response.status_code == 200
    assert response.context["result"].valid


def test_the_verify_page_answers_in_the_users_language(issue, login):
    document = issue().document
    document["content"]["due"] = 99
    client = login("focal.br")
    response = client.post(
        reverse("receipts:verify"),
        {"receipt_file": _upload(document)},
        HTTP_ACCEPT_LANGUAGE="pt-br",
    )
    result = response.context["result"]
    assert not result.valid and result.code == "content_hash"
    with translation.override("pt-br"):
        expected = gettext("The content does not match its hash: the receipt was changed.")
    assert result.reason == expected
    assert expected in response.content.decode()


def test_the_verify_page_rejects_a_file_that_is_not_json(region, login):
    upload = io.BytesIO(b"not json")
    upload.name = "receipt.json"
    response = login("focal.co").post(reverse("receipts:verify"), {"receipt_file": upload})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert response.context["form"].errors


def test_the_api_verifies_a_posted_document(issue, login):
    document = issue().document
    client = login("focal.co")
    url = reverse("api:receipt-verify")
    valid = client.post(url, document, content_type="application/json").json()
    assert valid["valid"] is True
    document["event"] = "request.refused"
    invalid = client.post(url, document, content_type="application/json").json()
    assert invalid["valid"] is False and invalid["code"] == "signature"


def test_a_workflow_lists_the_receipts_of_its_record_in_the_order_they_were_issued(issue, region):
    first = issue(event="request.sent")
    second = issue(event="request.opened")
    issue(country="PE", other="CO", event="request.sent")  # another subject
    subject = Case.objects.get(reference="CO-TEST-1")
    seen = list(receipts_of_subject(user=region.user("focal.pe"), subject=subject))
    assert seen == [first, second]
    assert not receipts_of_subject(user=region.user("focal.ar"), subject=subject).exists()


def test_pages_name_a_receipt_event_in_the_readers_language(region):
    from django.utils import translation

    from quipu.cooperation.receipts.models import Receipt

    with translation.override("pt-br"):
        assert Receipt(event="requests.sent").event_label == "Pedido enviado"
        assert Receipt(event="referral.closed").event_label == "Encaminhamento encerrado"
        assert Receipt(event="requests.unknown").event_label == "requests.unknown"

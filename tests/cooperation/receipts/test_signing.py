"""Issuing and verifying receipts: the signature, the hashes, the keys and their rotation."""

import base64
import copy
import json
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from quipu.audit.models import AuditEntry
from quipu.cooperation.receipts.keys import key_id_of, private_key_pem, signing_key
from quipu.cooperation.receipts.models import Receipt, SigningKey
from quipu.cooperation.receipts.services import receipt_issue
from quipu.cooperation.receipts.verification import (
    public_keys_from_pem,
    receipt_verify,
    signed_part,
)
from quipu.errors import NotAllowed


def test_an_issued_receipt_verifies(issue):
    receipt = issue()
    result = receipt_verify(receipt.document)
    assert result.valid, result.reason
    assert result.code == "valid"


def test_the_document_names_subject_parties_and_actor_by_codes_only(issue):
    document = issue().document
    assert document["version"] == 1
    assert document["event"] == "request.sent"
    assert document["subject"]["type"] == "cases.case"
    assert document["parties"] == ["CO", "PE"]
    assert document["actor"] == {"institution": "CO-MINISTRY", "country": "CO"}
    assert document["issued_at"].endswith("Z")
    assert document["issuer"] == "quipu"
    assert "focal" not in json.dumps(document)
    assert "NombreCO" not in json.dumps(document)


def test_the_stored_receipt_keeps_the_exact_signed_bytes(issue):
    receipt = Receipt.objects.get(pk=issue().pk)
    assert receipt.key_id == receipt.document["key_id"]
    assert receipt.signature == receipt.document["signature"]
    assert set(receipt.parties.values_list("code", flat=True)) == {"CO", "PE"}


def test_issuing_a_receipt_is_audited(issue):
    receipt = issue()
    entry = AuditEntry.objects.filter(object_id=str(receipt.pk)).get()
    assert entry.action == "create"
    assert entry.detail["event"] == "request.sent"


@pytest.mark.parametrize(
    "value", [object(), {1, 2}, b"bytes", float("nan"), {"nested": {"when": object()}}]
)
def test_content_that_is_not_json_is_rejected(issue, value):
    with pytest.raises(ValueError):
        issue(content={"value": value})


def test_a_receipt_needs_one_or_two_known_parties(issue):
    with pytest.raises(ValueError):
        issue(other="XX")


def test_a_user_of_another_country_cannot_issue_a_receipt_for_the_parties(region):
    from quipu.cases.models import Case

    with pytest.raises(NotAllowed):
        receipt_issue(
            event="request.sent",
            subject=Case.objects.get(reference="CO-TEST-1"),
            parties=["CO", "PE"],
            content={},
            actor=region.user("focal.ar"),
        )


def test_changed_content_fails_as_a_content_hash_mismatch(issue):
    document = issue().document
    document["content"]["due"] = 31
    assert receipt_verify(document).code == "content_hash"


def test_a_changed_hash_fails(issue):
    document = issue().document
    document["content_sha256"] = "0" * 64
    result = receipt_verify(document)
    assert not result.valid
    assert result.code == "content_hash"


def test_a_changed_event_fails_the_signature(issue):
    document = issue().document
    document["event"] = "request.answered"
    result = receipt_verify(document)
    assert result.code == "signature"
    assert result.reason


def test_a_receipt_signed_by_another_key_fails(issue):
    document = issue().document
    other = Ed25519PrivateKey.generate()
    document["signature"] = base64.b64encode(other.sign(signed_part(document))).decode()
    assert receipt_verify(document).code == "signature"


def test_an_unknown_key_id_fails(issue):
    document = issue().document
    document["key_id"] = "0123456789abcdef"
    assert receipt_verify(document).code == "unknown_key"


@pytest.mark.parametrize("broken", ["not a dict", {}, "drop_parties", "version_2"])
def test_a_malformed_document_fails_without_an_error(issue, broken):
    document = issue().document
    if broken == "drop_parties":
        del document["parties"]
    elif broken == "version_2":
        document["version"] = 2
    else:
        document = broken
    assert receipt_verify(document).code == "malformed"


def test_rotation_keeps_old_receipts_verifiable(issue, monkeypatch):
    old = issue().document
    new_key = Ed25519PrivateKey.generate()
    monkeypatch.setenv("QUIPU_RECEIPT_SIGNING_KEY", private_key_pem(new_key))
    new = issue().document
    assert new["key_id"] == key_id_of(new_key.public_key()) != old["key_id"]
    assert receipt_verify(old).valid
    assert receipt_verify(new).valid
    assert SigningKey.objects.count() == 2


def test_a_raw_base64_key_from_the_environment_signs(issue, monkeypatch):
    raw = bytes(range(32))
    monkeypatch.setenv("QUIPU_RECEIPT_SIGNING_KEY", base64.b64encode(raw).decode())
    document = issue().document
    expected = Ed25519PrivateKey.from_private_bytes(raw).public_key()
    assert document["key_id"] == key_id_of(expected)
    assert receipt_verify(document).valid


def test_the_key_file_is_created_owner_only_and_never_stored_in_the_database(
    issue, signing_key_file
):
    assert not signing_key_file.exists()
    receipt = issue()
    assert stat.S_IMODE(signing_key_file.stat().st_mode) == 0o600
    private_pem = signing_key_file.read_text()
    assert "PRIVATE KEY" in private_pem
    stored = SigningKey.objects.get(key_id=receipt.key_id)
    assert "PRIVATE" not in stored.public_key
    body = "".join(private_pem.strip().splitlines()[1:-1])
    assert body not in stored.public_key
    assert body not in Receipt.objects.get(pk=receipt.pk).document_json


def test_a_key_file_readable_by_others_is_refused(issue, signing_key_file):
    from django.core.exceptions import ImproperlyConfigured

    signing_key()
    signing_key_file.chmod(0o644)
    with pytest.raises(ImproperlyConfigured):
        issue()


def test_offline_verification_with_the_public_key_needs_no_key_table(issue):
    document = issue().document
    keys = public_keys_from_pem(signing_key().public_pem)
    assert receipt_verify(copy.deepcopy(document), public_keys=keys).valid
    other = public_keys_from_pem(signing_key_pem_other())
    assert receipt_verify(document, public_keys=other).code == "unknown_key"


def signing_key_pem_other() -> str:
    from quipu.cooperation.receipts.keys import public_key_pem

    return public_key_pem(Ed25519PrivateKey.generate().public_key())


def test_content_too_large_for_ids_and_codes_is_rejected(issue):
    with pytest.raises(ValueError):
        issue(content={"fields": ["x" * 1000] * 100})


def test_a_field_added_after_signing_fails_the_signature(issue):
    document = issue().document
    document["note"] = "added later"
    assert receipt_verify(document).code == "signature"


def test_a_changed_actor_fails_the_signature(issue):
    document = issue().document
    document["actor"]["country"] = "AR"
    assert receipt_verify(document).code == "signature"

"""Fixtures for receipts: a signing key file of the test's own, and a way to issue a receipt."""

import pytest


@pytest.fixture(autouse=True)
def signing_key_file(tmp_path, monkeypatch):
    """Each test signs with a fresh key file under its own temporary directory."""
    path = tmp_path / "keys" / "receipt-signing.key"
    monkeypatch.delenv("QUIPU_RECEIPT_SIGNING_KEY", raising=False)
    monkeypatch.setenv("QUIPU_RECEIPT_SIGNING_KEY_FILE", str(path))
    return path


@pytest.fixture
def issue(region):
    """Issue a receipt on the sample case of `country`, for it and `other`, as its focal point."""
    from quipu.cases.models import Case
    from quipu.cooperation.receipts.services import receipt_issue

    def issue_receipt(country="CO", other="PE", event="request.sent", content=None):
        return receipt_issue(
            event=event,
            subject=Case.objects.get(reference=f"{country}-TEST-1"),
            parties=[country, other] if other else [country],
            content=content if content is not None else {"fields": ["age_group"], "due": 30},
            actor=region.user(f"focal.{country.lower()}"),
        )

    return issue_receipt

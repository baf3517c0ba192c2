"""Referrals issue signed receipts: each test signs with a key file of its own."""

import pytest


@pytest.fixture(autouse=True)
def receipt_signing_key(tmp_path, monkeypatch):
    monkeypatch.delenv("QUIPU_RECEIPT_SIGNING_KEY", raising=False)
    monkeypatch.setenv("QUIPU_RECEIPT_SIGNING_KEY_FILE", str(tmp_path / "receipt-signing.key"))

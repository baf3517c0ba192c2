"""The platform's receipt signing key (Ed25519) and its public key id.

The private key lives outside the database: QUIPU_RECEIPT_SIGNING_KEY (PEM, or the raw 32 bytes
in base64), or the key file QUIPU_RECEIPT_SIGNING_KEY_FILE (default var/receipt-signing.key,
generated owner-readable on first use like quipu/linkage/keys.py). Only the public half ever
reaches the database (models.SigningKey), so receipts signed before a rotation still verify.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.exceptions import ImproperlyConfigured

from quipu.config.environment import secret_from_env_or_file, var_dir

KEY_ID_LENGTH = 16


@dataclass(frozen=True)
class ReceiptSigningKey:
    """The private key and its public id; the private key never shows in a repr."""

    key_id: str
    private_key: Ed25519PrivateKey = field(repr=False)

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def public_pem(self) -> str:
        return public_key_pem(self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """A fingerprint of the raw public key: it changes by itself when the key is rotated."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:KEY_ID_LENGTH]


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def public_key_load(pem: str | bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM; ValueError if it is anything else."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as error:
        raise ValueError("not a PEM public key") from error
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def signing_key_from_text(text: str) -> ReceiptSigningKey:
    """A key from PEM (PKCS#8) or from base64 of the raw 32-byte private key."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            private_key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm) as error:
            message = "The receipt signing key is not a readable PEM key."
            raise ImproperlyConfigured(message) from error
        if not isinstance(private_key, Ed25519PrivateKey):
            raise ImproperlyConfigured("The receipt signing key must be an Ed25519 key.")
    else:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as error:
            message = "The receipt signing key is neither PEM nor base64."
            raise ImproperlyConfigured(message) from error
        if len(raw) != 32:
            raise ImproperlyConfigured("A raw receipt signing key must be 32 bytes.")
        private_key = Ed25519PrivateKey.from_private_bytes(raw)
    return ReceiptSigningKey(key_id=key_id_of(private_key.public_key()), private_key=private_key)


def key_file_path() -> Path:
    """QUIPU_RECEIPT_SIGNING_KEY_FILE, or var/receipt-signing.key."""
    configured = os.environ.get("QUIPU_RECEIPT_SIGNING_KEY_FILE", "").strip()
    return Path(configured) if configured else var_dir() / "receipt-signing.key"


def private_key_pem(private_key: Ed25519PrivateKey) -> str:
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def signing_key() -> ReceiptSigningKey:
    """The current key: QUIPU_RECEIPT_SIGNING_KEY, else the key file, created if missing."""
    text = secret_from_env_or_file(
        "QUIPU_RECEIPT_SIGNING_KEY",
        key_file_path(),
        lambda: private_key_pem(Ed25519PrivateKey.generate()),
        "receipt signing key",
    )
    return signing_key_from_text(text)

"""The audit key: it seals the chain (HMAC) and signs checkpoints of its head (Ed25519).

The secret lives outside the database, as the receipt and linkage keys do: QUIPU_AUDIT_KEY, or
the key file QUIPU_AUDIT_KEY_FILE (default var/audit.key, generated owner-readable on first use).
Someone who can write to the database but not read this file can no longer recompute the chain.
Both keys derive from the one secret (HKDF), so an operator backs up a single file. The file may
hold several secrets, one per line: the last one seals new rows, the older ones still verify the
rows they sealed (key rotation).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured

from quipu.config.environment import secret_from_env_or_file, var_dir

MIN_SECRET_BYTES = 32
CHAIN_INFO = b"quipu/audit/chain-hmac/v1"
CHECKPOINT_INFO = b"quipu/audit/checkpoint-ed25519/v1"
KEY_ID_LENGTH = 16


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


@dataclass(frozen=True)
class AuditKey:
    """One audit secret. Its id is the fingerprint of its public checkpoint key."""

    secret: bytes = field(repr=False)

    @cached_property
    def chain_key(self) -> bytes:
        return _derive(self.secret, CHAIN_INFO)

    @cached_property
    def signing_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(_derive(self.secret, CHECKPOINT_INFO))

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.signing_key.public_key()

    @cached_property
    def key_id(self) -> str:
        return public_key_id(self.public_key)

    def mac(self, message: bytes) -> str:
        return hmac.new(self.chain_key, message, hashlib.sha256).hexdigest()


def public_key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:KEY_ID_LENGTH]


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


@dataclass(frozen=True)
class AuditKeyring:
    """Every audit key this deployment has used; `current` seals new rows."""

    keys: tuple[AuditKey, ...]

    @property
    def current(self) -> AuditKey:
        return self.keys[-1]

    def get(self, key_id: str | None) -> AuditKey | None:
        return next((key for key in self.keys if key.key_id == key_id), None)


@cache
def _keyring_from_text(text: str) -> AuditKeyring:
    secrets_found = [word.encode("utf-8") for word in text.split()]
    if not secrets_found:
        raise ImproperlyConfigured("The audit key is empty.")
    if any(len(secret) < MIN_SECRET_BYTES for secret in secrets_found):
        raise ImproperlyConfigured(f"An audit key must be at least {MIN_SECRET_BYTES} bytes.")
    return AuditKeyring(tuple(AuditKey(secret) for secret in secrets_found))


def key_file_path() -> Path:
    """QUIPU_AUDIT_KEY_FILE, or var/audit.key."""
    configured = os.environ.get("QUIPU_AUDIT_KEY_FILE", "").strip()
    return Path(configured) if configured else var_dir() / "audit.key"


def audit_keyring() -> AuditKeyring:
    """QUIPU_AUDIT_KEY, else the key file, created owner-only if missing."""
    text = secret_from_env_or_file(
        "QUIPU_AUDIT_KEY", key_file_path(), lambda: secrets.token_urlsafe(48) + "\n", "audit key"
    )
    return _keyring_from_text(text)

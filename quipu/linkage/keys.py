"""The regional linkage secret and the keys derived from it.

The secret lives outside the database: QUIPU_LINKAGE_KEY, or the key file QUIPU_LINKAGE_KEY_FILE
(default var/linkage.key, generated owner-readable on first use like the project's secret key).
Every country's node holds the same secret, so equal values give equal tokens at the hub; the
hub never needs it. Each encoding carries the key id, so a rotation can find what to re-encode.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured

from quipu.config.environment import secret_from_env_or_file, var_dir

MIN_SECRET_BYTES = 32
TOKEN_KEY_INFO = b"quipu/linkage/identifier-token/v1"
KEY_ID_LABEL = b"quipu/linkage/key-id"


@dataclass(frozen=True)
class LinkageKey:
    """The linkage secret and its public id; the secret never shows in a repr."""

    key_id: str
    secret: bytes = field(repr=False)


def linkage_key_from_secret(secret: str | bytes) -> LinkageKey:
    """A LinkageKey for a given secret; text is taken as UTF-8, as clkhash does."""
    secret_bytes = secret.encode("utf-8") if isinstance(secret, str) else secret
    if len(secret_bytes) < MIN_SECRET_BYTES:
        raise ImproperlyConfigured(f"The linkage key must be at least {MIN_SECRET_BYTES} bytes.")
    # A fingerprint, not a label: it changes by itself when the secret is rotated.
    key_id = hmac.new(secret_bytes, KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]
    return LinkageKey(key_id=key_id, secret=secret_bytes)


def key_file_path() -> Path:
    """QUIPU_LINKAGE_KEY_FILE, or var/linkage.key."""
    configured = os.environ.get("QUIPU_LINKAGE_KEY_FILE", "").strip()
    return Path(configured) if configured else var_dir() / "linkage.key"


def linkage_key() -> LinkageKey:
    """The current regional key: QUIPU_LINKAGE_KEY, else the key file, created if missing."""
    text = secret_from_env_or_file(
        "QUIPU_LINKAGE_KEY", key_file_path(), lambda: secrets.token_urlsafe(48), "linkage key"
    )
    return linkage_key_from_secret(text.strip())


def hkdf_sha256(secret: bytes, *, length: int, salt: bytes | None, info: bytes | None) -> bytes:
    """RFC 5869 HKDF with SHA-256, as clkhash derives its keys."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(secret)


@cache
def token_key(key: LinkageKey) -> bytes:
    """The HMAC key for exact identifiers; its own HKDF info keeps it apart from Bloom keys."""
    return hkdf_sha256(key.secret, length=32, salt=None, info=TOKEN_KEY_INFO)


@cache
def bloom_keys(
    key: LinkageKey, *, fields: int, salt: bytes, info: bytes, key_size: int = 64
) -> tuple[tuple[bytes, bytes], ...]:
    """Two keys per field for double hashing, laid out as clkhash's generate_key_lists does."""
    material = hkdf_sha256(key.secret, length=2 * fields * key_size, salt=salt, info=info)
    chunks = [material[i * key_size : (i + 1) * key_size] for i in range(2 * fields)]
    return tuple((chunks[2 * i], chunks[2 * i + 1]) for i in range(fields))

"""The receipt document's canonical form, and its verification (online or with a public key).

Canonical JSON: sorted keys, no spaces, UTF-8 (not ASCII-escaped). The signature covers the
canonical JSON of the document without its "signature" member.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.translation import gettext_lazy as _

from quipu.cooperation.receipts.keys import key_id_of, public_key_load

VERSION = 1
PEM_BLOCK = r"-----BEGIN PUBLIC KEY-----.*?-----END PUBLIC KEY-----"
MAX_CONTENT_BYTES = 64 * 1024
FIELDS = {
    "receipt": str,
    "version": int,
    "event": str,
    "subject": dict,
    "parties": list,
    "issued_at": str,
    "issuer": str,
    "actor": dict,
    "content": dict,
    "content_sha256": str,
    "key_id": str,
    "signature": str,
}


def canonical_json(value) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(value) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def signed_part(document: Mapping) -> bytes:
    """The bytes the signature covers: the document without its signature."""
    return canonical_json({key: value for key, value in document.items() if key != "signature"})


def json_value_check(value, path: str = "content") -> None:
    """Raise ValueError unless `value` is made of JSON scalars, lists and string-keyed dicts."""
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{path}: not a finite number")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            json_value_check(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: keys must be strings")
            json_value_check(item, f"{path}.{key}")
        return
    raise ValueError(f"{path}: {type(value).__name__} is not a JSON value")


@dataclass(frozen=True)
class VerificationResult:
    """Whether a receipt is genuine; `reason` (translated) and `code` say what failed."""

    valid: bool
    code: str = "valid"
    reason: str = ""
    key_id: str = ""


def _failed(code: str, reason, key_id: str = "") -> VerificationResult:
    return VerificationResult(valid=False, code=code, reason=str(reason), key_id=key_id)


def _malformed(document) -> str:
    """The first structural problem of a document, or "" if there is none."""
    if not isinstance(document, Mapping):
        return "document"
    for name, kind in FIELDS.items():
        value = document.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return name
    if document["version"] != VERSION:
        return "version"
    if set(document["subject"]) != {"type", "id"}:
        return "subject"
    if not all(isinstance(party, str) for party in document["parties"]):
        return "parties"
    try:
        json_value_check(dict(document))
    except ValueError:
        return "content"
    return ""


def receipt_verify(
    document, *, public_keys: Mapping[str, Ed25519PublicKey] | None = None
) -> VerificationResult:
    """Verify a receipt document. Keys come from `public_keys`, else the platform's key table."""
    field_name = _malformed(document)
    if field_name:
        return _failed(
            "malformed",
            _("The receipt is malformed: the field “%(field)s” is missing or wrong.")
            % {"field": field_name},
        )
    key_id = document["key_id"]
    if sha256_hex(document["content"]) != document["content_sha256"]:
        return _failed(
            "content_hash",
            _("The content does not match its hash: the receipt was changed."),
            key_id,
        )
    public_key = (public_keys if public_keys is not None else _platform_keys()).get(key_id)
    if public_key is None:
        return _failed(
            "unknown_key",
            _("Unknown key id %(key_id)s: this receipt was not signed with a known key.")
            % {"key_id": key_id[:32]},
            key_id,
        )
    try:
        signature = base64.b64decode(document["signature"], validate=True)
        public_key.verify(signature, signed_part(document))
    except (InvalidSignature, binascii.Error, ValueError):
        return _failed(
            "signature",
            _("The signature is not valid: the receipt was changed or not signed by this key."),
            key_id,
        )
    return VerificationResult(valid=True, reason=str(_("The receipt is valid.")), key_id=key_id)


def public_keys_from_pem(pem: str | bytes) -> dict[str, Ed25519PublicKey]:
    """{key id: key} for the PEM public keys of a file (one or several, as `public-key --all`
    prints them), for verifying without the database. ValueError if there is none."""
    text = pem.decode("ascii") if isinstance(pem, bytes) else pem
    blocks = re.findall(PEM_BLOCK, text, flags=re.DOTALL)
    if not blocks:
        raise ValueError("no PEM public key")
    keys = [public_key_load(block) for block in blocks]
    return {key_id_of(key): key for key in keys}


class _PlatformKeys(Mapping):
    """The key table, read one key id at a time."""

    def __getitem__(self, key_id: str) -> Ed25519PublicKey:
        from quipu.cooperation.receipts.models import SigningKey

        row = SigningKey.objects.filter(key_id=key_id).first()
        if row is None:
            raise KeyError(key_id)
        return public_key_load(row.public_key)

    def __iter__(self):
        from quipu.cooperation.receipts.models import SigningKey

        return iter(SigningKey.objects.values_list("key_id", flat=True))

    def __len__(self) -> int:
        from quipu.cooperation.receipts.models import SigningKey

        return SigningKey.objects.count()


def _platform_keys() -> Mapping[str, Ed25519PublicKey]:
    return _PlatformKeys()

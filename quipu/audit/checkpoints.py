"""Signed checkpoints of the chain's head, kept outside the database.

A checkpoint is a small JSON document: the head's seq and hash, when it was signed, and an
Ed25519 signature by the audit key (keys.py) over its canonical JSON without "signature". The
daily job writes one into QUIPU_AUDIT_CHECKPOINT_DIR (default var/audit-checkpoints, owner-only)
and every focal point is told to download it. Any copy, here or kept by a member state, later
catches a rewrite or a cut of the rows it covers: `quipu audit verify --checkpoint FILE`.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.audit.chain import ChainReport, chain_verify
from quipu.audit.keys import AuditKey, AuditKeyring, audit_keyring
from quipu.config.environment import var_dir

KIND = "quipu.audit.checkpoint"
VERSION = 1
FILE_NAME = re.compile(r"^audit-checkpoint-\d{12}\.json$")
MAX_FILE_BYTES = 16 * 1024
FIELDS = {
    "kind": str,
    "version": int,
    "seq": int,
    "hash": str,
    "signed_at": str,
    "key_id": str,
    "signature": str,
}


class CheckpointInvalid(ValueError):
    """A checkpoint that cannot be trusted; `message` is translatable and names the file."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class ChainBroken(RuntimeError):
    """The chain did not verify, so no checkpoint was signed over it."""

    def __init__(self, report: ChainReport):
        super().__init__(f"audit chain broken at #{report.broken_seq}")
        self.report = report


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    signed_at: str
    key_id: str
    origin: str  # the file it was read from

    @property
    def signed_on(self) -> str:
        return self.signed_at[:10]


def checkpoint_dir() -> Path:
    """QUIPU_AUDIT_CHECKPOINT_DIR, or var/audit-checkpoints; owner-only."""
    configured = os.environ.get("QUIPU_AUDIT_CHECKPOINT_DIR", "").strip()
    path = Path(configured) if configured else var_dir() / "audit-checkpoints"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _signed_part(document: dict) -> bytes:
    return _canonical({name: value for name, value in document.items() if name != "signature"})


def checkpoint_document(*, seq: int, hash: str, key: AuditKey, now: datetime) -> dict:
    document = {
        "kind": KIND,
        "version": VERSION,
        "seq": seq,
        "hash": hash,
        "signed_at": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "key_id": key.key_id,
    }
    signature = key.signing_key.sign(_signed_part(document))
    document["signature"] = base64.b64encode(signature).decode("ascii")
    return document


def checkpoint_parse(raw: bytes, *, origin: str, keyring: AuditKeyring) -> Checkpoint:
    """A checkpoint whose form and signature hold, else CheckpointInvalid naming `origin`."""
    names = {"file": origin}
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise CheckpointInvalid(
            _("%(file)s is not a checkpoint: it is not JSON.") % names
        ) from None
    if not isinstance(document, dict) or document.get("kind") != KIND:
        raise CheckpointInvalid(_("%(file)s is not an audit checkpoint.") % names)
    for name, kind in FIELDS.items():
        if not isinstance(document.get(name), kind) or isinstance(document.get(name), bool):
            message = _("%(file)s: the field %(field)s is missing or of the wrong type.")
            raise CheckpointInvalid(message % {**names, "field": name})
    key = keyring.get(document["key_id"])
    if key is None:
        message = _("%(file)s is signed by a key this server does not hold (%(key)s).")
        raise CheckpointInvalid(message % {**names, "key": document["key_id"]})
    try:
        signature = base64.b64decode(document["signature"], validate=True)
        key.public_key.verify(signature, _signed_part(document))
    except (binascii.Error, ValueError, InvalidSignature):
        raise CheckpointInvalid(_("%(file)s: the signature does not match.") % names) from None
    return Checkpoint(
        seq=document["seq"],
        hash=document["hash"],
        signed_at=document["signed_at"],
        key_id=document["key_id"],
        origin=origin,
    )


def checkpoint_file_read(path: Path, *, keyring: AuditKeyring | None = None) -> Checkpoint:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        raise CheckpointInvalid(_("%(file)s cannot be read.") % {"file": path.name}) from None
    if len(raw) > MAX_FILE_BYTES:
        message = _("%(file)s is larger than a checkpoint can be (%(limit)s bytes).")
        raise CheckpointInvalid(message % {"file": path.name, "limit": MAX_FILE_BYTES})
    return checkpoint_parse(raw, origin=path.name, keyring=keyring or audit_keyring())


def checkpoint_files() -> list[Path]:
    """The checkpoints this server wrote, oldest first."""
    return sorted(path for path in checkpoint_dir().iterdir() if FILE_NAME.match(path.name))


def checkpoints_stored(*, keyring: AuditKeyring | None = None) -> list[Checkpoint]:
    keyring = keyring or audit_keyring()
    return [checkpoint_file_read(path, keyring=keyring) for path in checkpoint_files()]


def checkpoint_write(*, now: datetime | None = None) -> Path | None:
    """Verify the chain against the stored checkpoints, then sign its head into a new file.

    Returns None when the head has not moved since the last checkpoint (or the log is empty);
    raises ChainBroken rather than sign over a broken chain.
    """
    keyring = audit_keyring()
    report = chain_verify(checkpoints_stored(keyring=keyring))
    if not report.intact:
        raise ChainBroken(report)
    if report.checked == 0:
        return None
    document = checkpoint_document(
        seq=report.checked, hash=report.last_hash, key=keyring.current, now=now or timezone.now()
    )
    path = checkpoint_dir() / f"audit-checkpoint-{report.checked:012d}.json"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return None  # this head is already signed
    with os.fdopen(fd, "wb") as handle:
        handle.write(_canonical(document) + b"\n")
    return path

"""The hash chain: how a row's hash is computed, and how the whole chain is re-walked.

Rows are sealed with the audit key: hash = HMAC-SHA256(key, prev_hash + canonical content),
and the row names the key. Rows written before the key existed keep their plain SHA-256 hash
(key_id is null); they are allowed only before the head's `keyed_from`, and the first keyed row
seals the last of them through its prev_hash. The head is sealed too, so it cannot be moved back.
Signed checkpoints (checkpoints.py) catch what the key alone cannot: a rewrite by whoever holds
the key, and a head replayed from an older copy of the database.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from quipu.audit.keys import AuditKey, AuditKeyring, audit_keyring
from quipu.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "actor_institution",
    "actor_country",
    "action",
    "object_type",
    "object_id",
    "subject_country",
    "subject_institution",
    "purpose",
    "detail",
    "ip_address",
    "prev_hash",
)


# A reason with values, still translated when shown rather than when the chain was walked.
_interpolated = lazy(lambda text, values: str(text) % values, str)


class UnknownAuditKey(LookupError):
    """A row or head names an audit key this deployment does not hold."""


def _canonical(values: dict) -> bytes:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_content(entry: AuditEntry) -> bytes:
    values = {name: getattr(entry, name) for name in CHAINED_FIELDS}
    values["at"] = entry.at.isoformat(timespec="microseconds")
    if entry.key_id:  # plain rows keep the content they were hashed with
        values["key_id"] = entry.key_id
    return _canonical(values)


def entry_hash(entry: AuditEntry, keyring: AuditKeyring | None = None) -> str:
    """The row's hash: keyed with the key it names, or plain SHA-256 for rows before the key."""
    message = entry.prev_hash.encode() + entry_content(entry)
    if not entry.key_id:
        return hashlib.sha256(message).hexdigest()
    key = (keyring or audit_keyring()).get(entry.key_id)
    if key is None:
        raise UnknownAuditKey(entry.key_id)
    return key.mac(message)


def head_seal(*, seq: int, hash: str, keyed_from: int, key: AuditKey) -> str:
    """The head's HMAC: moving the head back (a cut tail) or the keyed boundary breaks it."""
    return key.mac(_canonical({"head": seq, "hash": hash, "keyed_from": keyed_from}))


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""  # translatable text
    last_hash: str = GENESIS  # the hash of the last row checked, when intact

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def _row_fault(entry: AuditEntry, keyring: AuditKeyring, keyed: bool) -> str | None:
    if not entry.key_id:
        if keyed:
            return _("the row is not sealed with the audit key")
        return None if entry_hash(entry) == entry.hash else _("the content was altered")
    try:
        sealed = entry_hash(entry, keyring)
    except UnknownAuditKey:
        return _("the row names an audit key this server does not hold")
    return None if sealed == entry.hash else _("the content was altered")


def _head_fault(head: AuditHead | None, keyring: AuditKeyring) -> bool:
    if head is None or head.seq == 0:
        return False
    key = keyring.get(head.key_id)
    if key is None:  # every head past the first row is sealed (migration 0003 sealed old ones)
        return True
    expected = head_seal(seq=head.seq, hash=head.hash, keyed_from=head.keyed_from, key=key)
    return expected != head.seal


def chain_verify(checkpoints: Iterable = ()) -> ChainReport:
    """Re-walk every row in order with the audit key, and hold it against signed checkpoints.

    Reports the first row whose link, content or seal does not hold, or where the tail was cut.
    `checkpoints` are verified Checkpoint objects (checkpoints.py), keyed by the row they sign.
    """
    checkpoints = list(checkpoints)
    keyring = audit_keyring()
    head = AuditHead.objects.filter(pk=1).first()
    keyed_from = head.keyed_from if head else 1
    signed: dict[int, list] = {}
    for checkpoint in checkpoints:
        signed.setdefault(checkpoint.seq, []).append(checkpoint)

    expected_prev, expected_seq, checked, keyed = GENESIS, 1, 0, False
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return ChainReport(checked, expected_seq, _("missing: the row was deleted"))
        if entry.prev_hash != expected_prev:
            return ChainReport(checked, entry.seq, _("the link to the previous row does not match"))
        keyed = keyed or bool(entry.key_id) or entry.seq >= keyed_from
        fault = _row_fault(entry, keyring, keyed)
        if fault:
            return ChainReport(checked, entry.seq, fault)
        for checkpoint in signed.get(entry.seq, ()):
            if checkpoint.hash != entry.hash:
                reason = _interpolated(
                    _("the row differs from the signed checkpoint of %(date)s"),
                    {"date": checkpoint.signed_on},
                )
                return ChainReport(checked, entry.seq, reason)
        expected_prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1

    beyond = [checkpoint for checkpoint in checkpoints if checkpoint.seq > checked]
    if beyond:
        latest = max(beyond, key=lambda checkpoint: checkpoint.seq)
        reason = _interpolated(
            _(
                "missing: the signed checkpoint of %(date)s has rows up to #%(seq)s, "
                "the log ends before them"
            ),
            {"date": latest.signed_on, "seq": latest.seq},
        )
        return ChainReport(checked, checked + 1, reason)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != checked or head_hash != expected_prev:
        return ChainReport(checked, checked + 1, _("missing: rows after this one were deleted"))
    if _head_fault(head, keyring):
        reason = _("the head of the log is not sealed with the audit key: rows were cut or moved")
        return ChainReport(checked, checked + 1, reason)
    return ChainReport(checked, last_hash=expected_prev)

"""The hash chain: how a row's hash is computed, and how the whole chain is re-walked."""

import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

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


def entry_content(entry: AuditEntry) -> bytes:
    values = {name: getattr(entry, name) for name in CHAINED_FIELDS}
    values["at"] = entry.at.isoformat(timespec="microseconds")
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(entry.prev_hash.encode() + entry_content(entry)).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""  # translatable text

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def chain_verify() -> ChainReport:
    """Re-walk every row in order; report the first row whose link or content does not hold."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return ChainReport(checked, expected_seq, _("missing: the row was deleted"))
        if entry.prev_hash != expected_prev:
            return ChainReport(checked, entry.seq, _("the link to the previous row does not match"))
        if entry_hash(entry) != entry.hash:
            return ChainReport(checked, entry.seq, _("the content was altered"))
        expected_prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != checked or head_hash != expected_prev:
        return ChainReport(checked, checked + 1, _("missing: rows after this one were deleted"))
    return ChainReport(checked)

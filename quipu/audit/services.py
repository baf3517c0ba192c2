"""Writing to the audit log. The only way rows are added."""

import ipaddress
import logging
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from quipu.audit.chain import entry_hash, head_seal
from quipu.audit.keys import audit_keyring
from quipu.audit.models import Action, AuditEntry, AuditHead, AuditPending

logger = logging.getLogger(__name__)
CHECKPOINT_KIND = "audit.checkpoint"
CHAIN_BATCH = 1000  # rows sealed per transaction of the chainer


def _actor_context(actor) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {
            "actor_id": None,
            "actor_username": "",
            "actor_institution": "",
            "actor_country": "",
        }
    membership = getattr(actor, "membership", None)
    institution = membership.institution if membership else None
    return {
        "actor_id": actor.pk,
        "actor_username": actor.get_username(),
        "actor_institution": institution.code if institution else "",
        "actor_country": (institution.country_id or "") if institution else "",
    }


def _client_ip(request) -> str | None:
    raw = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _subject(obj) -> tuple[str, str, str, str]:
    """(type, id, owning country, owning institution) of a record, from its `audit_subject`."""
    if obj is None:
        return "", "", "", ""
    country, institution = getattr(obj, "audit_subject", ("", ""))
    return obj._meta.label_lower, str(obj.pk), country or "", institution or ""


def audit_record(
    *,
    actor,
    action: Action,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    subject_country: str = "",
    subject_institution: str = "",
    purpose: str = "",
    detail: dict[str, Any] | None = None,
    request=None,
) -> AuditEntry:
    """Append one row to the chain. `detail` holds codes and ids only, never personal values.

    On PostgreSQL a read never waits for the head's row lock: when another session holds it,
    the read is written beside the chain (AuditPending) and chained by whoever holds the head
    next; otherwise it is chained at once, after any rows waiting. Reads then never queue
    behind one another. The entry returned is unsaved (no `seq`) when
    another session was chaining at the time. SQLite serialises writers anyway, so there
    every row is chained as it is written."""
    obj_type, obj_id, obj_country, obj_institution = _subject(obj)
    if request is not None and actor is None:
        actor = getattr(request, "user", None)
    content = {
        "at": timezone.now(),
        "action": Action(action).value,
        "object_type": object_type or obj_type,
        "object_id": str(object_id or obj_id),
        "subject_country": subject_country or obj_country,
        "subject_institution": subject_institution or obj_institution,
        "purpose": purpose[:300],
        "detail": detail or {},
        "ip_address": _client_ip(request),
        **_actor_context(actor),
    }
    if connection.vendor != "postgresql":
        with transaction.atomic():
            head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
            return _chain(head, [content])[0]
    # Only reads may wait to be chained: changes, sign-ins and denials are counted from the
    # chain at once (notice quotas, lockouts, undo), so they take their turn at the head.
    wait = content["action"] != Action.READ
    with transaction.atomic():
        head = _head_locked(wait=wait)
        if head is not None:  # ours: seal what waits, then this row, in one commit
            ids, rows = _waiting(CHAIN_BATCH)
            entries = _chain(head, [*rows, content])
            if ids:
                AuditPending.objects.filter(pk__in=ids).delete()
            return entries[-1]
    AuditPending.objects.create(**content)  # the holder of the head, or the next, chains it
    return AuditEntry(**content)


def _head_locked(*, wait: bool) -> AuditHead | None:
    """The chain's head, locked; None when another session holds it and `wait` is False."""
    head = AuditHead.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
    if head is None and (wait or not AuditHead.objects.filter(pk=1).exists()):
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    return head


def _waiting(batch: int) -> tuple[list[int], list[dict]]:
    """The oldest rows waiting to be chained: their ids and their content."""
    rows = list(AuditPending.objects.order_by("pk").values("pk", *PENDING_FIELDS)[:batch])
    return [row.pop("pk") for row in rows], rows


def _chain(head: AuditHead, rows: list[dict]) -> list[AuditEntry]:
    """Seal `rows` after the locked `head`, in order, and move the head past them."""
    key = audit_keyring().current
    entries, seq, prev_hash = [], head.seq, head.hash
    for row in rows:
        entry = AuditEntry(seq=seq + 1, prev_hash=prev_hash, key_id=key.key_id, **row)
        entry.hash = entry_hash(entry)
        entries.append(entry)
        seq, prev_hash = entry.seq, entry.hash
    AuditEntry.objects.bulk_create(entries)
    seal = head_seal(seq=seq, hash=prev_hash, keyed_from=head.keyed_from, key=key)
    AuditHead.objects.filter(pk=1).update(seq=seq, hash=prev_hash, key_id=key.key_id, seal=seal)
    head.seq, head.hash = seq, prev_hash
    return entries


PENDING_FIELDS = [
    field.name for field in AuditPending._meta.concrete_fields if not field.primary_key
]


def audit_pending_chain(*, wait: bool = True, batch: int = CHAIN_BATCH) -> dict[int, AuditEntry]:
    """Chain the rows waiting in AuditPending, oldest first; {pending id: its chained entry}.

    With `wait=False` nothing is done when another session holds the head (it will chain what
    it finds, and the next caller the rest); `wait=True` (the daily job, verify, checkpoints)
    takes its turn and empties the queue as far as it can see."""
    chained: dict[int, AuditEntry] = {}
    while True:
        with transaction.atomic():
            head = _head_locked(wait=wait)
            if head is None:
                return chained  # another session is chaining: it will take these too
            ids, rows = _waiting(batch)
            if not rows:
                return chained
            entries = _chain(head, rows)
            AuditPending.objects.filter(pk__in=ids).delete()
            chained.update(zip(ids, entries, strict=True))
        if len(rows) < batch:
            return chained


def audit_pending_count() -> int:
    """Rows written but not chained yet: the window docs/operators.md describes."""
    return AuditPending.objects.count()


def audit_checkpoint_issue(*, raise_if_broken: bool = False) -> Path | None:
    """Sign the head into a checkpoint file and tell every focal point to keep a copy.

    Returns the new file, or None when the head has not moved since the last checkpoint. A
    broken chain is never signed: ChainBroken is logged (raised with `raise_if_broken`).
    """
    from django.urls import reverse

    from quipu.audit.checkpoints import ChainBroken, checkpoint_write
    from quipu.notifications.services import notify, recipients_with
    from quipu.tenancy.roles import Capability

    audit_pending_chain()  # a checkpoint signs every row written so far
    try:
        path = checkpoint_write()
    except ChainBroken as broken:
        # Signing a broken chain would launder it; `quipu audit verify` names the row.
        logger.error("audit chain broken at #%s; no checkpoint signed", broken.report.broken_seq)
        if raise_if_broken:
            raise
        return None
    if path is not None:
        notify(
            recipients=recipients_with(Capability.READ_AUDIT),
            kind=CHECKPOINT_KIND,
            url=reverse("audit:checkpoints"),
        )
    return path

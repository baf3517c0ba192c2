"""Writing to the audit log. The only way rows are added."""

import ipaddress
import logging
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from quipu.audit.chain import entry_hash, head_seal
from quipu.audit.keys import audit_keyring
from quipu.audit.models import Action, AuditEntry, AuditHead

logger = logging.getLogger(__name__)
CHECKPOINT_KIND = "audit.checkpoint"


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
    """Append one row to the chain. `detail` holds codes and ids only, never personal values."""
    obj_type, obj_id, obj_country, obj_institution = _subject(obj)
    if request is not None and actor is None:
        actor = getattr(request, "user", None)
    key = audit_keyring().current
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            action=Action(action).value,
            object_type=object_type or obj_type,
            object_id=str(object_id or obj_id),
            subject_country=subject_country or obj_country,
            subject_institution=subject_institution or obj_institution,
            purpose=purpose[:300],
            detail=detail or {},
            ip_address=_client_ip(request),
            prev_hash=head.hash,
            key_id=key.key_id,
            **_actor_context(actor),
        )
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
        seal = head_seal(seq=entry.seq, hash=entry.hash, keyed_from=head.keyed_from, key=key)
        AuditHead.objects.filter(pk=1).update(
            seq=entry.seq, hash=entry.hash, key_id=key.key_id, seal=seal
        )
    return entry


def audit_checkpoint_issue(*, raise_if_broken: bool = False) -> Path | None:
    """Sign the head into a checkpoint file and tell every focal point to keep a copy.

    Returns the new file, or None when the head has not moved since the last checkpoint. A
    broken chain is never signed: ChainBroken is logged (raised with `raise_if_broken`).
    """
    from django.urls import reverse

    from quipu.audit.checkpoints import ChainBroken, checkpoint_write
    from quipu.notifications.services import notify, recipients_with
    from quipu.tenancy.roles import Capability

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

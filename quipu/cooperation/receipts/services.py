"""Issuing certified receipts. Workflows call `receipt_issue` at each step they certify."""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cooperation.receipts.keys import ReceiptSigningKey, signing_key
from quipu.cooperation.receipts.models import Receipt, SigningKey
from quipu.cooperation.receipts.verification import (
    MAX_CONTENT_BYTES,
    VERSION,
    canonical_json,
    json_value_check,
    sha256_hex,
    signed_part,
)
from quipu.errors import NotAllowed
from quipu.tenancy.models import Country
from quipu.tenancy.permissions import principal_for

ISSUER = "quipu"
EVENT_CODE = re.compile(r"^[a-z][a-z0-9_.:-]{0,63}$")


def signing_key_register(key: ReceiptSigningKey) -> SigningKey:
    """Record the public half of `key`, so its receipts verify after a rotation."""
    row, _ = SigningKey.objects.get_or_create(
        key_id=key.key_id, defaults={"public_key": key.public_pem}
    )
    return row


def receipt_issue(*, event: str, subject, parties: list[str], content: dict, actor) -> Receipt:
    """Sign and store a receipt of `event` on `subject` for `parties` (country codes).

    `content` holds ids, codes and field names only; anything that is not JSON raises
    ValueError. The actor must belong to one of the parties (None: the platform itself).
    """
    if not isinstance(event, str) or not EVENT_CODE.match(event):
        raise ValueError("event: a lower-case code of at most 64 characters")
    if getattr(subject, "pk", None) is None or not hasattr(subject, "_meta"):
        raise ValueError("subject: a saved model instance")
    if not isinstance(content, dict):
        raise ValueError("content: a dict")
    json_value_check(content)
    if len(canonical_json(content)) > MAX_CONTENT_BYTES:
        raise ValueError("content: too large for ids, codes and field names")
    parties = list(dict.fromkeys(parties))
    countries = {country.code: country for country in Country.objects.filter(code__in=parties)}
    if not parties or len(parties) > 2 or len(countries) != len(parties):
        raise ValueError("parties: one or two known country codes")

    principal = principal_for(actor) if actor is not None else None
    if principal is not None and principal.country_id not in parties:
        raise NotAllowed()

    key = signing_key()
    receipt_id = uuid.uuid4()
    # Microseconds kept: the steps of one exchange often fall within the same second.
    issued_at = timezone.now().astimezone(UTC)
    document = {
        "receipt": str(receipt_id),
        "version": VERSION,
        "event": event,
        "subject": {"type": subject._meta.label_lower, "id": str(subject.pk)},
        "parties": parties,
        "issued_at": issued_at.isoformat().replace("+00:00", "Z"),
        "issuer": ISSUER,
        "actor": {
            "institution": principal.institution_code if principal else "",
            "country": (principal.country_id or "") if principal else "",
        },
        "content": content,
        "content_sha256": sha256_hex(content),
        "key_id": key.key_id,
    }
    document["signature"] = base64.b64encode(key.sign(signed_part(document))).decode("ascii")
    document_json = canonical_json(document).decode("utf-8")
    with transaction.atomic():
        signing_key_register(key)
        receipt = Receipt.objects.create(
            id=receipt_id,
            event=event,
            object_type=document["subject"]["type"],
            object_id=document["subject"]["id"],
            issued_at=issued_at,
            document_json=document_json,
            document_sha256=hashlib.sha256(document_json.encode("utf-8")).hexdigest(),
            key_id=key.key_id,
            signature=document["signature"],
        )
        receipt.parties.set([countries[code] for code in parties])
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=receipt,
            detail={
                "event": event,
                "subject_type": document["subject"]["type"],
                "subject_id": document["subject"]["id"],
                "parties": parties,
                "key_id": key.key_id,
            },
        )
    return receipt

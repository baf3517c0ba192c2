"""Certified receipts: a signed record of each step of a cooperation workflow, for both sides.

A receipt names its subject generically (an app label and an id, no foreign key), so any
workflow can issue one. The signed document is kept as the exact canonical JSON that was signed.
"""

import json
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from quipu.cooperation.receipts.events import receipt_event_label
from quipu.tenancy.models import Country


class SigningKey(models.Model):
    """A public key the platform has signed receipts with; kept after rotation to verify old ones.

    The private key is never stored here (see keys.py)."""

    key_id = models.CharField(_("key id"), max_length=32, unique=True)
    public_key = models.TextField(_("public key (PEM)"))
    created = models.DateTimeField(_("first used"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt signing key")
        verbose_name_plural = _("receipt signing keys")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.key_id


class Receipt(models.Model):
    """One certified receipt. Seen by the users of its parties only (selectors.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.CharField(_("event"), max_length=64, db_index=True)
    object_type = models.CharField(_("subject type"), max_length=100)
    object_id = models.CharField(_("subject id"), max_length=64)
    parties = models.ManyToManyField(
        Country, verbose_name=_("parties"), related_name="+", blank=False
    )
    issued_at = models.DateTimeField(_("issued at"), db_index=True)
    document_json = models.TextField(_("signed document"))
    document_sha256 = models.CharField(_("document hash"), max_length=64)
    key_id = models.CharField(_("key id"), max_length=32)
    signature = models.CharField(_("signature"), max_length=128)

    class Meta:
        verbose_name = _("certified receipt")
        verbose_name_plural = _("certified receipts")
        ordering = ["-issued_at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def event_label(self) -> str:
        return receipt_event_label(self.event)

    @property
    def document(self) -> dict:
        return json.loads(self.document_json)

    @property
    def party_codes(self) -> list[str]:
        return list(self.document["parties"])

    @property
    def audit_subject(self) -> tuple[str, str]:
        # A receipt has two owners; the audit row names the first party.
        parties = self.party_codes
        return (parties[0] if parties else "", "")

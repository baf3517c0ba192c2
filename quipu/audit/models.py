"""The append-only, hash-chained audit log. Rows hold codes and ids, never personal values."""

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    READ = "read", _("Read")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Account locked")
    LOGOUT = "logout", _("Signed out")
    OTP_ENABLED = "otp_enabled", _("Two-factor login enabled")
    OTP_FAILED = "otp_failed", _("Wrong two-factor code")
    DENIED = "denied", _("Permission denied")
    BAD_REQUEST = "bad_request", _("Rejected request")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit log is append-only")

    def delete(self):
        raise PermissionError("audit log is append-only")


class AuditEntry(models.Model):
    """One event. `hash` = HMAC-SHA256(audit key, prev_hash + canonical content), so an edit
    breaks the chain and cannot be re-sealed without the key (chain.py). Rows from before the
    key existed have no key_id and a plain SHA-256 hash."""

    seq = models.BigIntegerField(_("sequence"), unique=True, editable=False)
    at = models.DateTimeField(_("when"), editable=False)
    actor_id = models.BigIntegerField(_("user id"), null=True, editable=False)
    actor_username = models.CharField(_("user"), max_length=150, blank=True, editable=False)
    actor_institution = models.CharField(_("institution"), max_length=40, blank=True)
    actor_country = models.CharField(_("country"), max_length=2, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=60, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    subject_country = models.CharField(_("record's country"), max_length=2, blank=True)
    subject_institution = models.CharField(_("record's institution"), max_length=40, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    # Nullable, so adding it is a plain ALTER TABLE that leaves the rows and triggers alone.
    key_id = models.CharField(max_length=16, null=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["subject_country", "-seq"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit log is append-only")

    @property
    def purpose_label(self) -> str:
        """The purpose in the reader's language (see purposes.py)."""
        from quipu.audit.purposes import purpose_label

        return purpose_label(self.purpose)

    @property
    def object_type_label(self) -> str:
        """The record type in the reader's language (`tenancy.user` -> "usuario")."""
        if not self.object_type:
            return ""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type


class AuditHead(models.Model):
    """The chain's last link. Appends lock this row; verify checks it so a cut tail shows.

    `seal` is an HMAC of (seq, hash, keyed_from) with the audit key, so the head cannot be moved
    back over a cut tail; rows from `keyed_from` on must be sealed with the key."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    keyed_from = models.BigIntegerField(default=1)
    key_id = models.CharField(max_length=16, blank=True, default="")
    seal = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq}"


class AuditPending(models.Model):
    """An event written but not chained yet (PostgreSQL only; see services.py).

    Personal reads on PostgreSQL are appended here without the head's row lock, so that reads
    do not queue behind one another; `audit_pending_chain` moves them into the chain in
    batches, in the order they were written, with the same keyed hash. Until then they are the
    window docs/operators.md describes: present, but not yet protected by the chain."""

    at = models.DateTimeField(editable=False)
    actor_id = models.BigIntegerField(null=True, editable=False)
    actor_username = models.CharField(max_length=150, blank=True, editable=False)
    actor_institution = models.CharField(max_length=40, blank=True)
    actor_country = models.CharField(max_length=2, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    subject_country = models.CharField(max_length=2, blank=True)
    subject_institution = models.CharField(max_length=40, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry waiting to be chained")
        verbose_name_plural = _("audit entries waiting to be chained")

    def __str__(self) -> str:
        return f"pending #{self.pk} {self.action} {self.object_type}:{self.object_id}"

"""What the matcher may read (DESIGN.md rule 2): keyed encodings of people, never plaintext.

The tables hold no relation to the case tables: `person_id` and `owner_institution_id` are
plain integers, so no ORM lookup (`person__first_name`) or reverse relation can reach names,
dates or identifiers from here. Only services.py, which writes these rows, reads plaintext.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from quipu.linkage.encoding import CLK_BYTES


class Role(models.TextChoices):
    VICTIM = "victim", _("Victim")
    PERPETRATOR = "perpetrator", _("Perpetrator")


class PersonEncoding(models.Model):
    """One person's Bloom encoding (CLK), with the coarse fields blocking needs."""

    # Not a ForeignKey on purpose: see the module docstring and docs/decisions.md.
    person_id = models.BigIntegerField(_("person id"), unique=True)
    owner_country = models.CharField(_("owner country"), max_length=2)
    owner_institution_id = models.BigIntegerField(_("owner institution id"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    clk = models.BinaryField(_("CLK"), max_length=CLK_BYTES)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)  # F, M or "" (not stated)
    key_id = models.CharField(_("key id"), max_length=16)
    schema_id = models.CharField(_("encoding schema"), max_length=40)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person encoding")
        verbose_name_plural = _("person encodings")
        indexes = [
            models.Index(fields=["owner_country", "role"]),
            models.Index(fields=["key_id"]),
        ]

    def __str__(self) -> str:
        return f"encoding #{self.pk}"


class IdentifierToken(models.Model):
    """The keyed token (HMAC-SHA256) of one identifier of an encoded person."""

    encoding = models.ForeignKey(PersonEncoding, on_delete=models.CASCADE, related_name="tokens")
    kind = models.CharField(_("type of identifier"), max_length=20)
    token = models.CharField(_("token"), max_length=64)
    key_id = models.CharField(_("key id"), max_length=16)

    class Meta:
        verbose_name = _("identifier token")
        verbose_name_plural = _("identifier tokens")
        indexes = [models.Index(fields=["kind", "token"])]

    def __str__(self) -> str:
        return f"{self.kind} token #{self.pk}"

"""What the matcher may read (DESIGN.md rule 2): keyed encodings of people, never plaintext.

The tables hold no relation to the case tables: `person_id` and `owner_institution_id` are
plain integers, so no ORM lookup (`person__first_name`) or reverse relation can reach names,
dates or identifiers from here. Only services.py, which writes these rows, reads plaintext.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from quipu.linkage.encoding import CLK_BYTES
from quipu.linkage.evidence import Band
from quipu.tenancy.permissions import owned_by


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


# --- match notices: what the matcher's pairs become for people --------------------------------
# These tables sit outside the matcher's boundary: they tie an encoding id to its owner's
# institution so each side's focal point can review. They hold no values of either record.

NOTICE_THRESHOLD_DEFAULT = 0.9
# Against probing (docs/threat-model-notices.md): notices that records written recently by one
# institution raise against one other country, per day, before the rest are held back.
NOTICE_DAILY_LIMIT_DEFAULT = 10
PROBE_ALERT_AT_DEFAULT = 5
RECENT_DAYS_DEFAULT = 7


class LinkageSettings(models.Model):
    """The region's linkage settings, one row, set by the technical secretariat."""

    notice_threshold = models.FloatField(
        _("notice threshold"),
        default=NOTICE_THRESHOLD_DEFAULT,
        validators=[MinValueValidator(0.5), MaxValueValidator(0.999)],
        help_text=_("Pairs at or above this match probability become match notices."),
    )
    notice_daily_limit = models.PositiveSmallIntegerField(
        _("daily notice limit"),
        default=NOTICE_DAILY_LIMIT_DEFAULT,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_(
            "Notices a day that recently written records of one institution may raise against "
            "one other country; the rest wait for the next days."
        ),
    )
    probe_alert_at = models.PositiveSmallIntegerField(
        _("probe alert from"),
        default=PROBE_ALERT_AT_DEFAULT,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_(
            "From this many such notices in a day, the secretariat and the other country's "
            "focal points are alerted."
        ),
    )
    recent_days = models.PositiveSmallIntegerField(
        _("recent records (days)"),
        default=RECENT_DAYS_DEFAULT,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Records written by a user within this many days count against the limit."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("linkage settings")
        verbose_name_plural = _("linkage settings")

    def __str__(self) -> str:
        return str(_("linkage settings"))

    @classmethod
    def current(cls) -> LinkageSettings:
        return cls.objects.get_or_create(pk=1)[0]


class LinkRun(models.Model):
    """One matching run, full or incremental: counts and the trained model, never records."""

    class Kind(models.TextChoices):
        FULL = "full", _("Full run")
        INCREMENTAL = "incremental", _("New or changed records")
        # Shared identifiers only, before the first full run (the demo, runs.py).
        IDENTIFIERS = "identifiers", _("Shared identifiers first")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    stages_done = models.PositiveSmallIntegerField(default=0)
    stages_total = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    backend = models.CharField(_("backend"), max_length=8, default="duckdb")
    key_id = models.CharField(_("key id"), max_length=16, blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    records = models.PositiveIntegerField(_("records"), default=0)
    pairs = models.PositiveIntegerField(_("pairs"), default=0)
    notices_new = models.PositiveIntegerField(_("new notices"), default=0)
    notices_withdrawn = models.PositiveIntegerField(_("withdrawn notices"), default=0)
    clusters = models.PositiveIntegerField(_("groups"), default=0)
    error = models.CharField(_("error"), max_length=200, blank=True)  # an exception class only
    # Splink's trained parameters (m and u per comparison level): incremental runs reuse them.
    model = models.JSONField(_("trained model"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("linkage run")
        verbose_name_plural = _("linkage runs")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"link run #{self.pk}"


class MatchNotice(models.Model):
    """A cross-border pair of encodings the matcher scored at or above the threshold."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        LINKED = "linked", _("Confirmed: cross-border link")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn by a later run")
        # Over the daily limit against probing: neither side sees it until it is released.
        HELD = "held", _("Held back: over the daily limit")

    # The two encoding ids, lower first: one notice per pair however often it is found.
    encoding_low = models.BigIntegerField()
    encoding_high = models.BigIntegerField()
    # The matcher's score, kept server-side for the threshold; never shown to either side.
    match_probability = models.FloatField(_("match probability"))
    # What the sides read of why the records met (evidence.py): a coarse band, no scores.
    band = models.CharField(_("evidence"), max_length=12, choices=Band.choices, default=Band.NAME)
    # The kind of a shared identifier (phone, document...): shown only after both sides
    # confirmed and both agreed to reveal it.
    identifier_kind = models.CharField(max_length=20, blank=True, editable=False)
    # An identifier hit (band IDENTIFIER) is reported once per identifier and pair of
    # countries: a digest of the shared token and the two countries, never shown.
    hit_key = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    cluster_key = models.BigIntegerField(_("group"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    first_run = models.ForeignKey(LinkRun, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(LinkRun, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("found"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("match notice")
        verbose_name_plural = _("match notices")
        constraints = [
            models.UniqueConstraint(
                fields=["encoding_low", "encoding_high"], name="linkage_notice_one_per_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(encoding_low__lt=models.F("encoding_high")),
                name="linkage_notice_ordered_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"match notice #{self.pk}"


@owned_by(country="institution__country", institution="institution")
class MatchNoticeSide(models.Model):
    """One owner's side of a notice: their record, and their focal point's decision."""

    class Decision(models.TextChoices):
        NONE = "", _("Not reviewed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    notice = models.ForeignKey(MatchNotice, on_delete=models.CASCADE, related_name="sides")
    encoding_id = models.BigIntegerField()  # PersonEncoding.id; not a relation (see above)
    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, blank=True, default=""
    )
    reason = models.TextField(_("reason"), blank=True)
    # This side agrees that, once both sides confirm, each sees the other's case reference
    # and the kind of identifier they share (review.py, notice_reveal).
    reveal_consent = models.BooleanField(_("agrees to reveal after confirmation"), default=False)
    # This side's record was written recently by a user, so the notice counts against its
    # institution's daily limit (quotas.py), now and when a held notice is released.
    charged = models.BooleanField(default=False, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("match notice side")
        verbose_name_plural = _("match notice sides")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "encoding_id"], name="linkage_notice_side_once"
            )
        ]

    def __str__(self) -> str:
        return f"match notice #{self.notice_id} side #{self.pk}"

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.institution.country_id, self.institution.code


class NoticeQuota(models.Model):
    """Notices that recently written records of one institution raised against one other
    country on one day: the rate limit and the probe alert read and count here."""

    institution = models.ForeignKey(
        "tenancy.Institution", on_delete=models.CASCADE, related_name="+"
    )
    other_country = models.ForeignKey("tenancy.Country", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    notices = models.PositiveIntegerField(_("notices raised"), default=0)
    held = models.PositiveIntegerField(_("notices held back"), default=0)
    alerted_at = models.DateTimeField(_("alert raised"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice quota")
        verbose_name_plural = _("notice quotas")
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "other_country", "day"], name="linkage_quota_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"notice quota #{self.pk}"

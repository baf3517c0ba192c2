"""Helpline reports from the public (a 101-type line) and their triage history.

A report belongs to the country whose triage inbox holds it, and to the institution that
logged it there; a report routed in from another country belongs to the country only.
`personal.py` declares which fields hold personal data.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from quipu.cases.models import Case
from quipu.tenancy.models import Country, Institution
from quipu.tenancy.permissions import owned_by


class Situation(models.TextChoices):
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Suspected sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    SMUGGLING = "smuggling", _("Smuggling of migrants")
    MISSING_PERSON = "missing_person", _("Missing person")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    # Sorted by the code, so that "1_immediate" leads an inbox ordered by urgency.
    IMMEDIATE = "1_immediate", _("Immediate danger")
    URGENT = "2_urgent", _("Urgent")
    NORMAL = "3_normal", _("Normal")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WEB = "web", _("Web")
    WHATSAPP = "whatsapp", _("WhatsApp")
    WALK_IN = "walk_in", _("Walk-in")


class State(models.TextChoices):
    NEW = "new", _("New")
    LEAD = "lead", _("Lead for an institution")
    CASE = "case", _("Turned into a case")
    ROUTED = "routed", _("Routed to another country")
    CLOSED = "closed", _("Closed as not actionable")


class IdentifierKind(models.TextChoices):
    # The codes of the case identifiers (vocabulary identifier_kind), so they carry over as is.
    PHONE = "phone", _("Phone number")
    DOCUMENT = "document", _("Identity document")
    PLATE = "plate", _("Vehicle plate")
    SOCIAL_HANDLE = "social_handle", _("Social-media handle")
    EMAIL = "email", _("E-mail address")


@owned_by(country="country", institution="institution")
class HelplineReport(models.Model):
    reference = models.CharField(_("reference"), max_length=40)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country handling the report"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("logging institution"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty for a report routed in from another country."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NEW)
    situation = models.CharField(_("situation"), max_length=30, choices=Situation.choices)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    account = models.TextField(_("account"), blank=True)
    place_country = models.ForeignKey(
        Country,
        verbose_name=_("country of the situation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    caller_consents = models.BooleanField(
        _("the caller consents to being contacted"), default=False
    )
    caller_name = models.CharField(_("caller's name"), max_length=200, blank=True)
    caller_phone = models.CharField(_("caller's phone"), max_length=20, blank=True)
    caller_email = models.EmailField(_("caller's e-mail"), blank=True)
    assigned_to = models.ForeignKey(
        Institution,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    routed_to = models.ForeignKey(
        Country,
        verbose_name=_("routed to"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    received_from = models.ForeignKey(
        Country,
        verbose_name=_("received from"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    closure_reason = models.TextField(_("reason for closure"), blank=True)
    is_stub = models.BooleanField(_("stub of a routed report"), default=False)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("helpline report")
        verbose_name_plural = _("helpline reports")
        ordering = ["urgency", "-created_at", "-id"]
        indexes = [models.Index(fields=["country", "state", "urgency"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.country_id, self.institution.code if self.institution_id else ""


@owned_by(country="report__country", institution="report__institution")
class ReportIdentifier(models.Model):
    """A phone (E.164), document, plate, handle or e-mail the caller gave."""

    report = models.ForeignKey(HelplineReport, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("type of identifier"), max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(_("value"), max_length=200)

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.report.audit_subject


@owned_by(country="report__country", institution="report__institution")
class ReportTransition(models.Model):
    """One step of a report's history: who moved it from which state to which, and why."""

    report = models.ForeignKey(HelplineReport, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(_("action"), max_length=10)
    from_state = models.CharField(_("from"), max_length=10, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=10, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_institution = models.CharField(_("institution"), max_length=40, blank=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.CharField(_("target"), max_length=40, blank=True)  # institution or country code
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("triage step")
        verbose_name_plural = _("triage steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '-'} → {self.to_state}"

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.report.audit_subject

"""Consular referrals (the Regional Platform's Consular Assistance Protocol): a victim found
abroad is referred to the country of citizenship, which answers and organises assistance.

The victim stays the owner's record: a referral points at it, and what the home country reads
of it is decided by `disclosure.referral_disclosure` alone.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quipu.cases.models import Victim
from quipu.tenancy.models import Country, Institution
from quipu.tenancy.permissions import owned_by


class Assistance(models.TextChoices):
    DOCUMENTATION = "documentation", _("Documentation")
    SHELTER = "shelter", _("Shelter")
    HEALTH = "health", _("Health care")
    LEGAL_AID = "legal_aid", _("Legal aid")
    RETURN = "return", _("Return home")
    LOCAL_INTEGRATION = "local_integration", _("Local integration")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    IMMEDIATE = "immediate", _("Immediate: the victim is at risk")


class State(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("Assistance in progress")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("referral", "Withdrawn")  # es: la derivación


OPEN_STATES = (State.SENT, State.ACCEPTED, State.IN_PROGRESS)


class Outcome(models.TextChoices):
    RETURNED = "returned", _("Returned home")
    INTEGRATED = "integrated", _("Integrated locally")
    DECLINED_ASSISTANCE = "declined_assistance", _("The victim declined assistance")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    OTHER = "other", _("Other")


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


STEP_OPEN_STATUSES = (StepStatus.PENDING, StepStatus.IN_PROGRESS)


@owned_by(country="referring_institution__country", institution="referring_institution")
class Referral(models.Model):
    """One victim referred by an institution to the focal point of the victim's home country."""

    referring_institution = models.ForeignKey(
        Institution,
        verbose_name=_("referring institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    referring_country = models.ForeignKey(
        Country,
        verbose_name=_("country where the victim was found"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the referring institution sits: a consulate's host country."),
    )
    home_country = models.ForeignKey(
        Country,
        verbose_name=_("country of citizenship"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The owner may replace or delete the case (a re-import replaces changed cases): the
    # referral, its history and its steps stay, without the victim.
    victim = models.ForeignKey(
        Victim,
        verbose_name=_("victim"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assistance = models.JSONField(_("assistance needed"), default=list)
    assistance_details = models.TextField(
        _("details of the assistance needed"),
        blank=True,
        help_text=_("Shared with the home country only if the victim consented to sharing."),
    )
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.SENT, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    demo_key = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("consular referral")
        verbose_name_plural = _("consular referrals")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["home_country", "state"])]
        constraints = [
            # Two referrals of one victim sent at the same moment: the second fails cleanly.
            models.UniqueConstraint(
                fields=["victim"],
                condition=models.Q(state__in=[s.value for s in OPEN_STATES]),
                name="referral_one_open_per_victim",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"REF-{self.pk:06d}"

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.referring_institution.country_id or "", self.referring_institution.code

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ReferralEvent(models.Model):
    """One line of a referral's history: who moved it from which state to which, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"


class ReferralStep(models.Model):
    """One step of assistance (documentation, shelter...), with a status and a due date."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=Assistance.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    due_on = models.DateField(_("due date"))
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assistance step")
        verbose_name_plural = _("assistance steps")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.referral.audit_subject

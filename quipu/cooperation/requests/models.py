"""Information requests between member countries (DESIGN.md rule 1b): a prosecutor or focal
point asks another country for named categories of fields of its records; the owner's focal
point answers, and what an approval grants is a Grant: those records, those categories, until
an expiry date or a revocation. What a category contains is declared once, in categories.py.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.cases.models import Case
from quipu.linkage.models import MatchNotice
from quipu.tenancy.models import Country, Institution
from quipu.tenancy.permissions import owned_by


class LegalBasis(models.TextChoices):
    MLA_TREATY = "mla_treaty", _("Mutual legal assistance treaty")
    PROSECUTORS = "prosecutors", _("Direct cooperation between prosecutors")
    POLICE = "police", _("Police-to-police cooperation")
    CONSULAR = "consular", _("Consular cooperation")


class Category(models.TextChoices):
    IDENTITY = "identity", _("Identity")
    ROUTE = "route", _("Route")
    IDENTIFIERS = "identifiers", _("Identifiers")
    EXPLOITATION = "exploitation", _("Exploitation")
    PROCEEDINGS = "proceedings", _("Proceedings")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    IMMEDIATE = "immediate", _("Immediate: a person is at risk")


class State(models.TextChoices):
    SENT = "sent", _("Sent")
    CLARIFICATION = "clarification", _("Clarification asked")
    APPROVED = "approved", _("Approved")
    PARTIAL = "partial", _("Approved in part")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REVOKED = "revoked", _("Grant revoked")


OPEN_STATES = (State.SENT, State.CLARIFICATION)
GRANTED_STATES = (State.APPROVED, State.PARTIAL)


@owned_by(country="requesting_institution__country", institution="requesting_institution")
class InformationRequest(models.Model):
    """One request from an institution of one member country to another member country."""

    requesting_institution = models.ForeignKey(
        Institution,
        verbose_name=_("requesting institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requesting_country = models.ForeignKey(
        Country, verbose_name=_("requesting country"), on_delete=models.PROTECT, related_name="+"
    )
    receiving_country = models.ForeignKey(
        Country, verbose_name=_("receiving country"), on_delete=models.PROTECT, related_name="+"
    )
    notice = models.ForeignKey(
        MatchNotice,
        verbose_name=_("match notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("requesting country's case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    legal_basis_details = models.TextField(_("legal basis: details"), blank=True)
    purpose = models.TextField(_("purpose"))
    categories = models.JSONField(_("categories of fields requested"), default=list)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices)
    due_on = models.DateField(_("due date"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SENT, db_index=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"))
    received_at = models.DateTimeField(_("first opened by the receiving country"), null=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    overdue_on = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    demo_key = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["receiving_country", "state"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"REQ-{self.pk:06d}"

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.requesting_country_id or "", self.requesting_institution.code

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class RequestEvent(models.Model):
    """One line of a request's history: who moved it from which state to which, and why."""

    information_request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from"), max_length=16, blank=True)
    to_state = models.CharField(_("to"), max_length=16)
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
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"


class Grant(models.Model):
    """What an approval discloses: these records of the owner, these categories, until
    `expires_on` or revocation. Checked on every read (selectors.grant_active)."""

    information_request = models.OneToOneField(
        InformationRequest, on_delete=models.CASCADE, related_name="grant"
    )
    owner_country = models.ForeignKey(
        Country, verbose_name=_("owner country"), on_delete=models.PROTECT, related_name="+"
    )
    categories = models.JSONField(_("categories granted"), default=list)
    cases = models.ManyToManyField(Case, verbose_name=_("records granted"), related_name="+")
    expires_on = models.DateField(_("expires on"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expiry_notified_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")

    def __str__(self) -> str:
        return f"grant #{self.pk}"

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.owner_country_id or "", ""

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_on >= timezone.localdate()

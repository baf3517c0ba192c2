"""Joint investigation teams (JITs): prosecutors' offices of two or more member states working
one investigation together, with a shared workspace.

A JIT is reached through its accepted members only (selectors.jits_visible_to). Linked cases
stay their owner's records: the workspace holds a link, and shows other members a reference
card, never the case's personal fields.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from quipu.cases.models import Case
from quipu.tenancy.models import Country, Institution
from quipu.tenancy.permissions import owned_by


class State(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class MemberState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")
    REMOVED = "removed", _("Removed")


class LegalBasis(models.TextChoices):
    BILATERAL = "bilateral", _("Bilateral agreement")
    IBERO_AMERICAN = "ibero_american", _("Ibero-American framework agreement on JITs (2019)")
    MLA_TREATY = "mla_treaty", _("Mutual legal assistance treaty")
    PALERMO = "palermo", _("Palermo Protocol, article 19")
    OTHER = "other", _("Other")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


@owned_by(country="opening_institution__country", institution="opening_institution")
class Jit(models.Model):
    """One joint investigation team. Its name is an operation name, never a person's."""

    name = models.CharField(
        _("operation name"),
        max_length=120,
        help_text=_("A code name for the operation; never a person's name."),
    )
    opening_institution = models.ForeignKey(
        Institution,
        verbose_name=_("opened by institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_country = models.ForeignKey(
        Country, verbose_name=_("lead country"), on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    legal_basis_details = models.TextField(
        _("legal basis details"), blank=True, help_text=_("The agreement or treaty, by name.")
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    demo_key = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("joint investigation team")
        verbose_name_plural = _("joint investigation teams")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"JIT-{self.pk:05d}"

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.lead_country_id or "", self.opening_institution.code

    @property
    def is_closed(self) -> bool:
        return self.state == State.CLOSED


class Part(models.Model):
    """Common to the workspace's rows: which JIT, which member institution added it."""

    jit = models.ForeignKey(Jit, on_delete=models.CASCADE)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.jit.audit_subject


class Member(Part):
    state = models.CharField(_("membership"), max_length=10, choices=MemberState.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("JIT member")
        verbose_name_plural = _("JIT members")
        ordering = ["institution__country_id", "institution__code"]
        default_related_name = "members"
        constraints = [
            models.UniqueConstraint(fields=["jit", "institution"], name="jit_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} in {self.jit_id}"


class Event(Part):
    """One line of the history: the JIT's state, or a membership, moved by whom and when."""

    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from"), max_length=10, blank=True)
    to_state = models.CharField(_("to"), max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("JIT event")
        verbose_name_plural = _("JIT events")
        ordering = ["at", "id"]
        default_related_name = "events"

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"


class CaseLink(Part):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(_("linked"))

    class Meta:
        verbose_name = _("linked case")
        verbose_name_plural = _("linked cases")
        ordering = ["linked_at", "id"]
        default_related_name = "case_links"
        constraints = [models.UniqueConstraint(fields=["jit", "case"], name="jit_case_once")]

    def __str__(self) -> str:
        return f"case {self.case_id} in {self.jit_id}"


class Note(Part):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"))

    class Meta:
        verbose_name = _("JIT note")
        verbose_name_plural = _("JIT notes")
        ordering = ["-created_at", "-id"]
        default_related_name = "notes"

    def __str__(self) -> str:
        return f"note #{self.pk}"


class Task(Part):
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("JIT task")
        verbose_name_plural = _("JIT tasks")
        ordering = ["status", "due_on", "id"]
        default_related_name = "tasks"

    def __str__(self) -> str:
        return f"task #{self.pk}"


class Attachment(Part):
    """A file of the workspace: kept under a random name outside the web root (attachments.py)."""

    name = models.CharField(_("file name"), max_length=120)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("JIT attachment")
        verbose_name_plural = _("JIT attachments")
        ordering = ["-uploaded_at", "-id"]
        default_related_name = "attachments"

    def __str__(self) -> str:
        return f"attachment #{self.pk}"

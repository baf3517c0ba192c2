"""Survey rounds (issue 6 points 3 and 4): a round sent to member states, one submission per
assigned institution, and the history of every step of its approval.

A submission's answers are kept as JSON keyed by question path (repeat positions included, and
`__count__<path>` for the number of entries of a repeat): exactly what the form engine reads,
so a draft re-renders as it was left. The XForm instance is rebuilt from it on demand.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.tenancy.permissions import owned_by


class SurveyRound(models.Model):
    """A period's survey (such as the 2025 baseline), opened by the secretariat for chosen
    member states."""

    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(
        _("period"), max_length=20, help_text=_("The year the answers describe, such as 2025.")
    )
    survey = models.ForeignKey(
        "indicators.Survey", verbose_name=_("survey"), on_delete=models.PROTECT
    )
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    countries = models.ManyToManyField(
        "tenancy.Country", verbose_name=_("countries"), related_name="survey_rounds"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_subject(self) -> tuple[str, str]:
        return "", ""


class SubmissionState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    ACCEPTED = "accepted", _("Accepted")


OVERDUE_LABEL = _("Overdue")
# Not yet submitted: these are reminded, and overdue after the due date. A returned answer was
# submitted in time; it shows as returned, and its return notice is its reminder.
OPEN_STATES = (SubmissionState.NOT_STARTED, SubmissionState.DRAFT)


@owned_by(country="institution__country_id", institution="institution_id")
class Submission(models.Model):
    """One institution's answers to a round: its assignment, answers, state and comments."""

    round = models.ForeignKey(
        SurveyRound,
        verbose_name=_("survey round"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    institution = models.ForeignKey(
        "tenancy.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="survey_submissions",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        related_name="survey_submissions",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=SubmissionState.choices, default="not_started"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    comments = models.JSONField(_("comments by question"), default=dict, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    overdue_notified = models.BooleanField(_("overdue notice sent"), default=False)

    class Meta:
        verbose_name = _("survey submission")
        verbose_name_plural = _("survey submissions")
        ordering = ["round", "institution__country_id", "institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "institution"], name="submission_one_per_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.institution.code}"

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.institution.country_id, self.institution.code

    @property
    def is_locked(self) -> bool:
        return self.state == SubmissionState.ACCEPTED

    @property
    def is_overdue(self) -> bool:
        return self.state in OPEN_STATES and self.round.due_on < timezone.localdate()

    @property
    def tracking_state(self) -> str:
        return "overdue" if self.is_overdue else self.state

    @property
    def tracking_label(self) -> str:
        return str(OVERDUE_LABEL) if self.is_overdue else self.get_state_display()


@owned_by(country="submission__institution__country_id", institution="submission__institution_id")
class SubmissionEvent(models.Model):
    """One step of a submission's history: who, when, from which state to which, and why."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("submission step")
        verbose_name_plural = _("submission steps")
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"

    @property
    def from_label(self) -> str:
        return SubmissionState(self.from_state).label if self.from_state else ""

    @property
    def to_label(self) -> str:
        return SubmissionState(self.to_state).label

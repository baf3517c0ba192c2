"""Writes for survey rounds: the secretariat opens a round, focal points assign it to their
national institutions, and a daily job reminds assignees before the due date."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import InvalidInput, NotAllowed
from quipu.indicators import kinds
from quipu.indicators.models import Survey
from quipu.indicators.round_models import OPEN_STATES, Submission, SurveyRound
from quipu.notifications.services import notify, recipients_with
from quipu.tenancy.models import Country, Institution, User
from quipu.tenancy.permissions import denial_record, require
from quipu.tenancy.roles import Capability, Scope

REMINDER_DAYS = (7, 1)  # days before the due date on which open assignments are reminded


def survey_round_open(
    *,
    actor,
    title: str,
    period: str,
    survey: Survey,
    opens_on: date,
    due_on: date,
    countries: list[Country],
    request=None,
) -> SurveyRound:
    """The secretariat opens a round of `survey` for the chosen member states."""
    require(actor, Capability.MANAGE_REGION, request=request)
    if due_on < opens_on:
        raise InvalidInput(_("The due date must not be before the opening date."), code="due_on")
    if not countries or any(not country.is_member for country in countries):
        raise InvalidInput(_("Choose one or more member states."), code="countries")
    with transaction.atomic():
        survey_round = SurveyRound.objects.create(
            title=title,
            period=period,
            survey=survey,
            opens_on=opens_on,
            due_on=due_on,
            opened_by=actor,
        )
        survey_round.countries.set(countries)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=survey_round,
            detail={"period": period, "countries": sorted(c.code for c in countries)},
            request=request,
        )
    return survey_round


def submission_url(submission: Submission) -> str:
    return reverse("indicators:submission", args=[submission.pk])


def _assign_check(actor, survey_round: SurveyRound, institution: Institution, request) -> None:
    principal = require(actor, Capability.MANAGE_USERS, request=request)
    allowed = principal.scope(Capability.MANAGE_USERS) is Scope.COUNTRY and principal.can(
        Capability.APPROVE_DISCLOSURE
    )
    own_country = institution.country_id == principal.country_id
    in_round = survey_round.countries.filter(code=institution.country_id).exists()
    if not (allowed and own_country and in_round):
        denial_record(actor, capability=Capability.MANAGE_USERS, obj=survey_round, request=request)
        raise NotAllowed(
            _(
                "Only the focal point of a country in this round assigns it to that "
                "country's institutions."
            )
        )


def submission_assign(
    *, actor, survey_round: SurveyRound, institution: Institution, responsible: User, request=None
) -> Submission:
    """A focal point assigns the round to one institution of their country, with its
    responsible person (a user of that institution); assigning again changes the person."""
    _assign_check(actor, survey_round, institution, request)
    if not responsible.is_active or not institution.memberships.filter(user=responsible).exists():
        raise InvalidInput(
            _("The responsible person must be a user of the assigned institution."),
            code="responsible",
        )
    with transaction.atomic():
        submission, created = Submission.objects.get_or_create(
            round=survey_round, institution=institution, defaults={"responsible": responsible}
        )
        changed = not created and submission.responsible_id != responsible.pk
        if changed:
            submission.responsible = responsible
            submission.save(update_fields=["responsible", "updated_at"])
        if created or changed:
            audit_record(
                actor=actor,
                action=Action.CREATE if created else Action.UPDATE,
                obj=submission,
                detail={"round": survey_round.pk, "responsible": responsible.pk},
                request=request,
            )
            notify(recipients=[responsible], kind=kinds.ASSIGNED, url=submission_url(submission))
    return submission


def round_assign_kind(
    *, actor, survey_round: SurveyRound, kind: str, request=None
) -> tuple[list[Submission], list[Institution]]:
    """Assign the round to every active institution of one type in the focal point's country.
    Each keeps its responsible person if already assigned, else gets its first active user by
    user name; institutions without users are returned apart, to be assigned by name later."""
    principal = require(actor, Capability.MANAGE_USERS, request=request)
    assigned, skipped = [], []
    institutions = Institution.objects.filter(
        country_id=principal.country_id, kind=kind, is_active=True
    ).order_by("name")
    for institution in institutions:
        existing = Submission.objects.filter(round=survey_round, institution=institution).first()
        responsible = (
            existing.responsible
            if existing
            else User.objects.filter(membership__institution=institution, is_active=True)
            .order_by("username")
            .first()
        )
        if responsible is None:
            skipped.append(institution)
            continue
        assigned.append(
            submission_assign(
                actor=actor,
                survey_round=survey_round,
                institution=institution,
                responsible=responsible,
                request=request,
            )
        )
    return assigned, skipped


def reminders_send(*, today: date | None = None) -> int:
    """Remind open assignments 7 and 1 days before the due date, and tell the assignee and the
    country's focal points once when one is overdue. Safe to run twice a day."""
    today = today or timezone.localdate()
    acted = 0
    rows = Submission.objects.filter(state__in=OPEN_STATES).select_related(
        "round", "institution", "responsible"
    )
    for submission in rows:
        days_left = (submission.round.due_on - today).days
        if days_left in REMINDER_DAYS and submission.reminded_on != today:
            notify(
                recipients=[submission.responsible],
                kind=kinds.REMINDER,
                url=submission_url(submission),
            )
            submission.reminded_on = today
            submission.save(update_fields=["reminded_on"])
            acted += 1
        elif days_left < 0 and not submission.overdue_notified:
            focal_points = recipients_with(
                Capability.APPROVE_DISCLOSURE, country=submission.institution.country_id
            )
            notify(
                recipients=[submission.responsible, *focal_points],
                kind=kinds.OVERDUE,
                url=submission_url(submission),
            )
            submission.overdue_notified = True
            submission.save(update_fields=["overdue_notified"])
            acted += 1
    return acted

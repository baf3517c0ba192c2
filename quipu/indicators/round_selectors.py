"""Reads for survey rounds and submissions, scoped by the permission layer.

The secretariat sees every round; a focal point the rounds of their country and its
submissions; an institution's users the submissions assigned to their institution.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.indicators.round_models import OVERDUE_LABEL, Submission, SubmissionState, SurveyRound
from quipu.tenancy.country_order import name_sort_key
from quipu.tenancy.models import Country
from quipu.tenancy.permissions import denial_record, principal_for, scoped
from quipu.tenancy.roles import Capability, Scope

PENDING_STATES = (SubmissionState.SUBMITTED, SubmissionState.APPROVED)


def rounds_visible_to(*, user) -> QuerySet[SurveyRound]:
    principal = principal_for(user)
    rounds = SurveyRound.objects.select_related("survey")
    if principal.scope(Capability.MANAGE_REGION) is Scope.REGION:
        return rounds.all()
    if principal.user_id is None:
        return rounds.none()
    visible = Q(submissions__institution_id=principal.institution_id)
    if principal.can(Capability.APPROVE_DISCLOSURE) and principal.country_id:
        visible |= Q(countries=principal.country_id)
    return rounds.filter(visible).distinct()


def round_tracking_visible(*, user, pk: int, request=None) -> SurveyRound:
    """A round whose tracking page `user` may see: the secretariat, or a focal point of one of
    its countries; 404 otherwise (audited when the round exists)."""
    principal = principal_for(user)
    rounds = SurveyRound.objects.select_related("survey")
    if principal.scope(Capability.MANAGE_REGION) is Scope.REGION:
        found = rounds.filter(pk=pk).first()
    elif principal.can(Capability.APPROVE_DISCLOSURE) and principal.country_id:
        found = rounds.filter(pk=pk, countries=principal.country_id).first()
    else:
        found = None
    if found is None:
        hidden = rounds.filter(pk=pk).first()
        if hidden is not None:
            denial_record(
                user, capability=Capability.APPROVE_DISCLOSURE, obj=hidden, request=request
            )
        raise Http404
    return found


def tracking_countries(*, user, survey_round: SurveyRound) -> list[str]:
    """The country codes of the round whose tracking `user` sees."""
    principal = principal_for(user)
    codes = list(survey_round.countries.order_by("code").values_list("code", flat=True))
    if principal.scope(Capability.MANAGE_REGION) is Scope.REGION:
        return codes
    return [code for code in codes if code == principal.country_id]


def round_tracking(*, user, survey_round: SurveyRound) -> list[dict]:
    """Per country: its submissions with their tracking state (overdue included)."""
    countries = tracking_countries(user=user, survey_round=survey_round)
    rows = (
        survey_round.submissions.filter(institution__country_id__in=countries)
        .select_related("institution", "responsible", "round")
        .order_by("institution__country_id", "institution__name")
    )
    by_country: dict[str, list[Submission]] = {code: [] for code in countries}
    for submission in rows:
        by_country[submission.institution.country_id].append(submission)
    names = {c.code: c for c in Country.objects.filter(code__in=countries)}
    return [
        {
            "country": code,
            "country_row": names.get(code),
            "submissions": items,
            "counts": _counts(items),
        }
        for code, items in sorted(
            by_country.items(),
            key=lambda pair: name_sort_key(names[pair[0]].name if pair[0] in names else pair[0]),
        )
    ]


def _counts(submissions: list[Submission]) -> list[tuple[str, str, int]]:
    """(tracking state, label, how many) in the order of the flow, overdue last."""
    counted: dict[str, int] = {}
    for submission in submissions:
        counted[submission.tracking_state] = counted.get(submission.tracking_state, 0) + 1
    labels = [*SubmissionState.choices, ("overdue", OVERDUE_LABEL)]
    return [(state, str(label), counted[state]) for state, label in labels if state in counted]


def submissions_visible_to(*, user) -> QuerySet[Submission]:
    """Own institution's assignments, the country's for focal points, all for the secretariat."""
    principal = principal_for(user)
    rows = Submission.objects.select_related("round", "round__survey", "institution", "responsible")
    if principal.user_id is None:
        return rows.none()
    reviewed = scoped(user, rows, Capability.APPROVE_DISCLOSURE) | scoped(
        user, rows, Capability.MANAGE_REGION
    )
    return (rows.filter(institution_id=principal.institution_id) | reviewed).distinct()


def submissions_assigned_to(*, user) -> QuerySet[Submission]:
    principal = principal_for(user)
    if principal.institution_id is None:
        return Submission.objects.none()
    return Submission.objects.filter(institution_id=principal.institution_id).select_related(
        "round", "institution"
    )


def submission_visible(*, user, pk: int, request=None) -> Submission:
    found = submissions_visible_to(user=user).filter(pk=pk).first()
    if found is None:
        hidden = Submission.objects.filter(pk=pk).select_related("institution").first()
        if hidden is not None:
            denial_record(user, capability="fill_survey", obj=hidden, request=request)
        raise Http404
    return found


def submission_read_audit(*, actor, submission: Submission, request=None) -> None:
    audit_record(actor=actor, action=Action.READ, obj=submission, request=request)


def submission_values_for(*, country: str, period: str, include_pending: bool) -> list[dict]:
    """The answers of a country's institutions for a period: accepted ones always, submitted
    and approved ones too when `include_pending` (national views), each marked `pending`.
    Regional views must call this with include_pending=False."""
    return submission_values_of(countries=[country], period=period, include_pending=include_pending)


def submission_values_of(*, countries: list[str], period: str, include_pending: bool) -> list[dict]:
    """As `submission_values_for`, for several countries in one query; rows name their
    country."""
    states = [SubmissionState.ACCEPTED, *(PENDING_STATES if include_pending else ())]
    rows = (
        Submission.objects.filter(
            institution__country_id__in=countries, round__period=period, state__in=states
        )
        .select_related("institution", "round")
        .order_by("institution__code", "-round__opens_on")
    )
    return [
        {
            "country": row.institution.country_id,
            "institution": row.institution.code,
            "institution_kind": row.institution.kind,
            "round": row.round_id,
            "submitted_at": row.submitted_at,
            "answers": {k: v for k, v in row.answers.items() if not k.startswith("__")},
            "pending": row.state != SubmissionState.ACCEPTED,
        }
        for row in rows
    ]

"""Permission-matrix rules for survey rounds (see tests/matrix_rules.py).

The matrix's round is opened for one country only and assigned to its police (XX-POLICE, where
caseworker.xx works, the responsible person). Focal points track and review their country's;
the police's users fill theirs; the secretariat sees every round.
"""

from tests.matrix_rules import ADMINS, ANY, SECRETARIAT, Route, roles

TRACKERS = roles("secretariat", "focal_point")
SUBMISSION_READERS = roles("secretariat", "focal_point", "caseworker")
ASSIGNERS = roles("focal_point")

ROUTES = {
    "indicators:round_list": Route(ANY),
    "indicators:round_new": Route(SECRETARIAT),
    "indicators:round_detail": Route(TRACKERS, obj="survey_round"),
    "indicators:round_assign": Route(ANY, ok=(405,), kwargs={"pk": 1}),  # POST only
    # Importing KoboToolbox answers: the round's trackers, within their own scope.
    "indicators:submission_import": Route(TRACKERS, obj="survey_round"),
    "indicators:submission": Route(SUBMISSION_READERS, obj="survey_submission"),
    "indicators:submission_act": Route(ANY, ok=(405,), kwargs={"pk": 1, "action": "approve"}),
    "api:indicator-rounds": Route(ANY),
    "api:indicator-round": Route(TRACKERS, obj="survey_round"),
    # POST only; DRF checks MANAGE_USERS before the method.
    "api:indicator-round-assign": Route(ADMINS, ok=(405,), kwargs={"pk": 1}),
    "api:indicator-round-import": Route(ANY, ok=(405,), kwargs={"pk": 1}),  # POST only
    "api:indicator-submissions": Route(ANY),
    "api:indicator-submission": Route(SUBMISSION_READERS, obj="survey_submission"),
    "api:indicator-submission-step": Route(ANY, ok=(405,), kwargs={"pk": 1, "action": "submit"}),
}


def survey_round(country: str):
    """A round of the baseline survey for `country` alone."""
    import datetime

    from quipu.indicators.defaults import defaults_load
    from quipu.indicators.models import Survey, SurveyRound
    from quipu.tenancy.models import User

    if not Survey.objects.filter(form_id="quipu_baseline").exists():
        defaults_load()
    found = SurveyRound.objects.filter(title=f"Matrix {country}").first()
    if found is None:
        found = SurveyRound.objects.create(
            title=f"Matrix {country}",
            period="2025",
            survey=Survey.objects.filter(form_id="quipu_baseline").first(),
            opens_on=datetime.date(2025, 1, 1),
            due_on=datetime.date(2099, 12, 31),
            opened_by=User.objects.get(username="secretariat"),
        )
        found.countries.set([country])
    return found


def survey_submission(country: str):
    """The country's police's answer to the matrix round, caseworker.xx responsible."""
    from quipu.indicators.models import Submission
    from quipu.tenancy.models import Institution, User

    submission, _ = Submission.objects.get_or_create(
        round=survey_round(country),
        institution=Institution.objects.get(code=f"{country}-POLICE"),
        defaults={"responsible": User.objects.get(username=f"caseworker.{country.lower()}")},
    )
    return submission


RECORDS = {"survey_round": survey_round, "survey_submission": survey_submission}

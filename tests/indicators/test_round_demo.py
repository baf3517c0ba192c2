"""The demo rounds: a 2024 baseline answered and accepted by most institutions, a 2025
follow-up partly answered with one answer returned and one overdue; every demo answer meets
the form's rules, and building twice changes nothing."""

from io import StringIO

import pytest

from quipu.indicators.demo import demo_build
from quipu.indicators.models import Submission, SurveyRound
from quipu.indicators.round_demo import OVERDUE_CODE, RETURNED_CODE, rounds_demo_build
from quipu.indicators.submissions import answers_filled

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(region, framework):
    demo_build(stdout=StringIO())


def test_the_2024_baseline_is_accepted_by_most_institutions_with_varied_values(demo):
    baseline = SurveyRound.objects.get(period="2024")
    states = list(baseline.submissions.values_list("state", flat=True))
    assert states.count("accepted") > 0.8 * len(states)
    trained = {
        s.answers["/data/prevention/officials_trained"]
        for s in baseline.submissions.filter(state="accepted")
    }
    assert len(trained) > 10


def test_the_2025_follow_up_is_partly_answered_with_one_returned_and_one_overdue(demo):
    follow_up = SurveyRound.objects.get(period="2025")
    rows = {s.institution.code: s for s in follow_up.submissions.select_related("round")}
    assert [c for c, s in rows.items() if s.tracking_state == "returned"] == [RETURNED_CODE]
    assert [c for c, s in rows.items() if s.tracking_state == "overdue"] == [OVERDUE_CODE]
    assert {s.state for s in rows.values()} >= {"accepted", "approved", "submitted"}
    assert rows[RETURNED_CODE].comments
    assert not any(code.startswith(("PY-", "UY-")) for code in rows)  # not assigned yet


def test_every_demo_answer_meets_the_forms_rules(demo):
    for submission in Submission.objects.exclude(state="not_started").select_related(
        "round__survey"
    ):
        filled = answers_filled(submission, submission.answers, check=True)
        assert filled.is_valid, (submission.institution.code, [n.path for n in filled.errors])


def test_building_the_demo_twice_changes_nothing(demo):
    before = Submission.objects.count()
    assert rounds_demo_build() == (0, 0)
    assert Submission.objects.count() == before

"""Survey-based indicator values from answers, against hand-computed figures: accepted answers
only for regional views, pending ones marked for national views."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from quipu.indicators.models import Submission
from quipu.indicators.survey_values import survey_indicator_values
from tests.indicators.rounds_helpers import round_open

pytestmark = pytest.mark.django_db


def _answer(survey_round, region, code, username, state, days_ago, **answers):
    return Submission.objects.create(
        round=survey_round,
        institution=region.institution(code),
        responsible=region.user(username),
        state=state,
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
        answers={f"/data/{path.replace('__', '/')}": value for path, value in answers.items()},
    )


@pytest.fixture
def answered(region, framework):
    survey_round = round_open("CO")
    _answer(
        survey_round,
        region,
        "CO-POLICE",
        "caseworker.co",
        "accepted",
        5,
        prevention__has_action_plan="no",
        prevention__awareness_campaigns="4",
        protection__consular_protocol="yes",
        coordination__coordination_level="2",
        coordination__agreements_in_force="7",
    )
    _answer(
        survey_round,
        region,
        "CO-PROSECUTOR",
        "prosecutor.co",
        "accepted",
        2,
        prevention__has_action_plan="yes",
        prevention__awareness_campaigns="10",
        protection__consular_protocol="no",
        coordination__coordination_level="3",
        coordination__agreements_in_force="9",
    )
    _answer(
        survey_round,
        region,
        "CO-MINISTRY",
        "analyst.co",
        "submitted",
        1,
        prevention__awareness_campaigns="100",
        protection__consular_protocol="yes",
    )


def test_answers_combine_by_each_indicators_rule(answered):
    values = survey_indicator_values(country="CO", period="2025", include_pending=False)
    assert values["PREV-01"]["value"] is True  # any: one institution has a plan
    assert values["PREV-03"]["value"] == Decimal(14)  # sum: 4 + 10
    assert values["PROT-12"]["value"] is False  # all: one said no
    assert values["COOP-02"]["value"] == Decimal("2.50")  # mean of 2 and 3
    assert values["COOP-07"]["value"] == Decimal(9)  # latest: submitted 2 days ago
    assert values["PREV-03"]["institutions"] == 2
    assert not any(value["pending"] for value in values.values())


def test_pending_answers_count_only_in_national_views_and_are_marked(answered):
    national = survey_indicator_values(country="CO", period="2025", include_pending=True)
    assert national["PREV-03"] == {"value": Decimal(114), "pending": True, "institutions": 3}
    assert national["PREV-01"]["pending"] is False  # the pending answer left it blank
    assert survey_indicator_values(country="PE", period="2025", include_pending=True) == {}

"""Chile's figures, worked out by hand for the progress tests.

Chile 2025 (owner CL-POLICE): 15 detected victims, 12 women (8 adults, 4 girls) and 3 men, plus
one person ruled out, who is not counted. The region fixture's CL-TEST-1 is of 2024: one woman.
Surveys: the 2024 and 2025 rounds, accepted answers from CL-MINISTRY and CL-PROSECUTOR, and one
submitted (pending) answer from CL-POLICE in 2025.
"""

import datetime

import pytest
from django.utils import timezone

from quipu.indicators.models import Submission
from quipu.intake.writer import records_write
from tests.indicators.conftest import framework  # noqa: F401  (the shipped framework)
from tests.indicators.rounds_helpers import round_open
from tests.stats.conftest import case, victim

# Chile's population in 2024 (UN WPP 2024), the figure shipped in indicators/data/population.csv.
CHILE_POPULATION = 19_764_771


def chile_2025():
    women = [victim(f"CLW{n}", gender="Feminine", age_group="21--23") for n in range(8)]
    girls = [victim(f"CLG{n}", gender="Feminine", age_group="9--17") for n in range(4)]
    men = [victim(f"CLM{n}", gender="Masculine", age_group="30--38") for n in range(3)]
    ruled_out = [victim("CLX", gender="Masculine", status="NotAVictimOfTrafficking")]
    return [
        case("CL-P-1", women[:5] + girls[:2], year=2025),
        case("CL-P-2", women[5:] + girls[2:] + men + ruled_out, year=2025),
    ]


def _answer(survey_round, region, code, state, **answers):
    return Submission.objects.create(
        round=survey_round,
        institution=region.institution(code),
        responsible=region.user("focal.cl"),
        state=state,
        submitted_at=timezone.now() - datetime.timedelta(days=3),
        answers={f"/data/{path.replace('__', '/')}": value for path, value in answers.items()},
    )


@pytest.fixture
def chile(region, framework):  # noqa: F811
    records_write(owner=region.institution("CL-POLICE"), records=chile_2025())
    baseline = round_open("CL", title="Línea de base 2024", period="2024")
    follow_up = round_open("CL", title="Seguimiento 2025", period="2025")
    _answer(
        baseline,
        region,
        "CL-MINISTRY",
        "accepted",
        prevention__has_action_plan="no",
        prevention__awareness_campaigns="3",
        prosecution__specialised_unit="no",
    )
    _answer(
        follow_up,
        region,
        "CL-MINISTRY",
        "accepted",
        prevention__has_action_plan="yes",
        prevention__awareness_campaigns="5",
    )
    _answer(
        follow_up,
        region,
        "CL-PROSECUTOR",
        "accepted",
        prevention__awareness_campaigns="4",
        prosecution__specialised_unit="yes",
    )
    _answer(follow_up, region, "CL-POLICE", "submitted", prevention__awareness_campaigns="6")
    return region

"""The harmonisation matrix: convergence per practice from accepted yes/no answers."""

from decimal import Decimal

import pytest

from quipu.indicators.models import Indicator
from quipu.progress.harmonisation import (
    ALL_HAVE,
    DIVERGE,
    NO,
    NONE_HAS,
    TOO_FEW,
    UNKNOWN,
    YES,
    convergence_of,
    harmonisation_rows,
    practices_in_place,
)
from quipu.progress.values import HAS_VALUE, MISSING, IndicatorValue


@pytest.mark.parametrize(
    ("answers", "convergence"),
    [
        ([YES, YES, UNKNOWN], ALL_HAVE),
        ([NO, NO], NONE_HAS),
        ([YES, NO, UNKNOWN], DIVERGE),
        ([YES, UNKNOWN, UNKNOWN], TOO_FEW),
    ],
)
def test_convergence_needs_two_answers_and_agreement(answers, convergence):
    assert convergence_of(answers) == convergence


def test_rows_count_each_country_s_answer():
    plan, unit = Indicator(code="P1"), Indicator(code="P2")
    yes, no = IndicatorValue(HAS_VALUE, Decimal(1)), IndicatorValue(HAS_VALUE, Decimal(0))
    values = {"AR": {"P1": yes, "P2": no}, "BO": {"P1": yes, "P2": yes}, "CL": {"P1": MISSING}}
    rows = harmonisation_rows(practices=[plan, unit], countries=["AR", "BO", "CL"], values=values)
    assert rows[0].cells == [("AR", YES), ("BO", YES), ("CL", UNKNOWN)]
    assert (rows[0].with_practice, rows[0].unanswered, rows[0].convergence) == (2, 1, ALL_HAVE)
    assert (rows[1].with_practice, rows[1].without_practice, rows[1].convergence) == (1, 1, DIVERGE)
    assert practices_in_place(rows, ["AR", "BO", "CL"]) == {"AR": 1, "BO": 2, "CL": 0}

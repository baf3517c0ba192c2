"""Indicator values per country and period against figures worked out by hand (conftest.py):
case data, survey aggregation, formulas, SDG 16.2.2 and its disaggregation, suppression."""

from decimal import Decimal

import pytest

from quipu.indicators.models import Indicator
from quipu.progress.breakdowns import indicator_breakdown
from quipu.progress.values import (
    HAS_VALUE,
    NO_DATA,
    SUPPRESSED,
    IndicatorValue,
    formula_value,
    period_values,
    populations_for,
)
from tests.progress.conftest import CHILE_POPULATION

pytestmark = pytest.mark.django_db


def _chile(period, *, regional):
    values = period_values(
        period=period, countries=["CL"], include_pending=not regional, suppress=regional
    )
    return values["CL"]


def test_case_data_indicators_count_the_period_s_detected_victims(chile):
    national = _chile("2025", regional=False)
    assert national["PROT-01"] == IndicatorValue(HAS_VALUE, Decimal(15))
    assert national["PROT-03"].value == 4  # the four girls
    assert _chile("2024", regional=False)["PROT-01"].value == 1  # CL-TEST-1 only


def test_sdg_16_2_2_is_victims_per_100000_population(chile):
    rate = _chile("2025", regional=False)["PROT-02"]
    # 15 / 19,764,771 x 100,000 = 0.0759 (2 decimals); 2025 uses the latest figure, 2024's.
    assert rate == IndicatorValue(HAS_VALUE, Decimal("0.08"))
    assert populations_for(countries=["CL"], year=2025)["CL"] == (CHILE_POPULATION, 2024)


def test_sdg_16_2_2_by_sex_divides_each_sex_by_the_whole_population(chile):
    indicator = Indicator.objects.get(code="PROT-02")
    by_sex = indicator_breakdown(
        indicator=indicator, by="sex", countries=["CL"], period="2025", suppress=False
    )["CL"]
    assert by_sex["female"].value == Decimal("0.06")  # 12 / 19,764,771 x 100,000 = 0.0607
    assert by_sex["male"].value == Decimal("0.02")  # 3 / 19,764,771 x 100,000 = 0.0152
    assert by_sex["other_or_unknown"].value == Decimal("0.00")


def test_percentage_formula_is_numerator_over_denominator_times_100(chile):
    share = _chile("2025", regional=False)["PROT-04"]
    assert share == IndicatorValue(HAS_VALUE, Decimal("26.7"))  # 4 girls of 15 = 26.67 %


def test_regional_view_suppresses_small_counts_and_the_rates_made_from_them(chile):
    regional = _chile("2025", regional=True)
    assert regional["PROT-01"].value == 15  # at least 10: published
    assert regional["PROT-03"].state == SUPPRESSED  # 4 girls: under the threshold of 10
    assert regional["PROT-04"].state == SUPPRESSED  # 4/15 would give the 4 away
    assert _chile("2024", regional=True)["PROT-02"].state == SUPPRESSED  # from 1 victim


def test_regional_breakdown_suppresses_small_cells_and_their_complement(chile):
    indicator = Indicator.objects.get(code="PROT-01")
    by_sex = indicator_breakdown(
        indicator=indicator, by="sex", countries=["CL"], period="2025", suppress=True
    )["CL"]
    # 3 men is under 10; 12 women would give it away as 15 - 12, so it goes too. 0 stays.
    assert by_sex["male"].state == SUPPRESSED
    assert by_sex["female"].state == SUPPRESSED
    assert by_sex["other_or_unknown"] == IndicatorValue(HAS_VALUE, Decimal(0))


def test_survey_indicators_combine_accepted_answers_by_their_rule(chile):
    baseline, follow_up = _chile("2024", regional=True), _chile("2025", regional=True)
    assert baseline["PREV-01"].value == 0 and follow_up["PREV-01"].value == 1  # any: yes
    assert baseline["PREV-03"].value == 3
    assert follow_up["PREV-03"] == IndicatorValue(HAS_VALUE, Decimal(9))  # sum of 5 and 4
    assert follow_up["PROS-06"].value == 1


def test_national_view_adds_pending_answers_and_marks_them(chile):
    national = _chile("2025", regional=False)
    assert national["PREV-03"] == IndicatorValue(HAS_VALUE, Decimal(15), pending=True)  # 5+4+6
    assert national["PREV-01"].pending is False  # the pending answer did not answer it


def test_an_unanswered_indicator_has_no_data(chile):
    assert _chile("2025", regional=True)["PROT-08"] == IndicatorValue(NO_DATA)
    assert _chile("2030", regional=True)["PROT-01"].value == 0  # no case is a count of 0


def test_formula_over_missing_or_zero_denominator_has_no_data():
    indicator = Indicator(unit="percentage", numerator="#{A}", denominator="#{B}", factor=100)
    zero = IndicatorValue(HAS_VALUE, Decimal(0))
    three = IndicatorValue(HAS_VALUE, Decimal(3))
    assert formula_value(indicator, {"A": three, "B": zero}).state == NO_DATA
    assert formula_value(indicator, {"A": three}).state == NO_DATA
    pending = IndicatorValue(HAS_VALUE, Decimal(4), pending=True)
    assert formula_value(indicator, {"A": three, "B": pending}) == IndicatorValue(
        HAS_VALUE, Decimal("75.0"), pending=True
    )


def test_formulas_over_formulas_are_resolved_in_order(chile):
    Indicator.objects.create(
        code="TEST-RATE2",
        axis=Indicator.objects.get(code="PROT-02").axis,
        name_es="Doble",
        name_pt="Dobro",
        name_en="Twice the rate",
        definition_es="-",
        definition_pt="-",
        definition_en="-",
        unit="rate_100k",
        periodicity="annual",
        data_source="case_records",
        reference="test",
        computation="formula",
        numerator="#{PROT-02} * 2",
        denominator="",
        order=0,
    )
    assert _chile("2025", regional=False)["TEST-RATE2"].value == Decimal("0.16")

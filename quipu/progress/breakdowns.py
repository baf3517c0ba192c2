"""Disaggregated values of case-data and formula indicators (sex, age group, form of
exploitation, nationality), with small cells suppressed in regional views.

In a formula, the case-data indicators it names are taken category by category and everything
else (the population, survey answers) as the country's total: so SDG 16.2.2 by sex is female
victims per 100,000 population, as UNODC publishes it.
"""

from decimal import Decimal

from quipu.indicators.formulas import POPULATION, formula_references
from quipu.indicators.models import Computation, Indicator
from quipu.progress.values import (
    HAS_VALUE,
    HIDDEN,
    MISSING,
    IndicatorValue,
    case_counts,
    formula_value,
    period_values,
    period_year,
    population_value,
    populations_for,
)
from quipu.stats.categories import CATEGORIES


def _counted(count: int | None) -> IndicatorValue:
    return HIDDEN if count is None else IndicatorValue(HAS_VALUE, Decimal(count))


def breakdown_supported(indicator: Indicator, by: str) -> bool:
    if by not in CATEGORIES or by not in indicator.disaggregations:
        return False
    if indicator.computation == Computation.CASE_DATA:
        return bool(indicator.case_measure)
    if indicator.computation == Computation.FORMULA:
        return any(
            Indicator.objects.filter(
                code__in=formula_references(indicator.numerator),
                computation=Computation.CASE_DATA,
            )
        )
    return False  # survey answers are national totals


def indicator_breakdown(
    *,
    indicator: Indicator,
    by: str,
    countries: list[str],
    period: str,
    suppress: bool,
    include_pending: bool = False,
    totals: dict[str, dict[str, IndicatorValue]] | None = None,
) -> dict[str, dict[str, IndicatorValue]]:
    """{country: {category: IndicatorValue}}; empty when the indicator has no such breakdown.
    `totals`: the period's values as `period_values` gave them for the same reading, when the
    caller has them already (a formula's other inputs are taken from there)."""
    year = period_year(period)
    if year is None or not breakdown_supported(indicator, by):
        return {}
    if indicator.computation == Computation.CASE_DATA:
        counts = case_counts(
            measure=indicator.case_measure, countries=countries, year=year, by=by, suppress=suppress
        )
        return {
            country: {category: _counted(counts[country][category]) for category in CATEGORIES[by]}
            for country in countries
        }
    if totals is None:
        totals = period_values(
            period=period, countries=countries, include_pending=include_pending, suppress=suppress
        )
    return _formula_breakdown(
        indicator=indicator, by=by, countries=countries, year=year, suppress=suppress, totals=totals
    )


def indicator_breakdowns(
    *,
    indicator: Indicator,
    countries: list[str],
    period: str,
    suppress: bool,
    totals: dict[str, dict[str, IndicatorValue]],
) -> dict[str, dict[str, dict[str, IndicatorValue]]]:
    """{disaggregation: indicator_breakdown} for every breakdown the indicator supports, in
    the order the framework lists them; `totals` as `period_values` gave them."""
    return {
        by: indicator_breakdown(
            indicator=indicator,
            by=by,
            countries=countries,
            period=period,
            suppress=suppress,
            totals=totals,
        )
        for by in indicator.disaggregations
        if breakdown_supported(indicator, by)
    }


def _formula_breakdown(*, indicator, by, countries, year, suppress, totals):
    names = formula_references(indicator.numerator) + formula_references(indicator.denominator)
    references = {i.code: i for i in Indicator.objects.filter(code__in=names)}
    split = {
        code: case_counts(
            measure=ref.case_measure, countries=countries, year=year, by=by, suppress=suppress
        )
        for code, ref in references.items()
        if ref.computation == Computation.CASE_DATA
    }
    populations = populations_for(countries=countries, year=year)
    result = {}
    for country in countries:
        row = {}
        for category in CATEGORIES[by]:
            values = {code: totals[country].get(code, MISSING) for code in references}
            values.update(
                {code: _counted(counts[country][category]) for code, counts in split.items()}
            )
            values[POPULATION] = population_value(populations, country)
            row[category] = formula_value(indicator, values)
        result[country] = row
    return result

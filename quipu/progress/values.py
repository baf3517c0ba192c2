"""Indicator values per country and period (issue 6 point 5), from the three sources:

- case data: the case measure counted in the case database for the period's year;
- survey answers: the institutions' answers combined by the indicator's rule;
- formulas: DHIS2-style (numerator / denominator) x factor over the other values.

Regional views call with `include_pending=False, suppress=True`: accepted answers only, and
small case counts suppressed. A formula that needs a suppressed count is suppressed too, or a
published rate would give the count away.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from quipu.indicators.formulas import POPULATION, formula_references, indicator_formula_value
from quipu.indicators.models import Computation, Indicator, Population, Unit
from quipu.indicators.survey_values import survey_indicator_values_by_country
from quipu.progress.cache import figures_cached
from quipu.stats.categories import TOTAL
from quipu.stats.selectors import case_measure_values

HAS_VALUE, NO_DATA, SUPPRESSED = "value", "no_data", "suppressed"
PLACES = {Unit.PERCENTAGE: 1, Unit.RATE_100K: 2, Unit.ORDINAL: 2}


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator's value for one country and period. `value` is None unless `state` is
    HAS_VALUE; yes/no values are 1 and 0; `pending` marks answers not yet accepted."""

    state: str
    value: Decimal | None = None
    pending: bool = False

    @property
    def known(self) -> bool:
        return self.state == HAS_VALUE


MISSING = IndicatorValue(NO_DATA)
HIDDEN = IndicatorValue(SUPPRESSED)


def period_year(period: str) -> int | None:
    """The calendar year a period describes ("2024"), or None when it is not a year."""
    return int(period) if period.isdigit() and len(period) == 4 else None


def value_rounded(unit: str, value: Decimal) -> Decimal:
    places = PLACES.get(unit, 0 if unit in (Unit.COUNT, Unit.YES_NO) else 2)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def populations_for(*, countries: list[str], year: int | None) -> dict[str, tuple[int, int]]:
    """{country: (population, its year)}: the figure of the year, else the latest before it,
    else the earliest after it (shipped figures may lag the period by a year or two). Countries
    without a figure, or a period that is not a year, are left out."""
    if year is None:
        return {}
    figures: dict[str, list[tuple[int, int]]] = {}
    rows = Population.objects.filter(country_code__in=countries)
    for country, figure_year, population in rows.values_list("country_code", "year", "population"):
        figures.setdefault(country, []).append((figure_year, population))
    found = {}
    for country, known in figures.items():
        before = [figure for figure in known if figure[0] <= year]
        year_used, population = max(before) if before else min(known)
        found[country] = (population, year_used)
    return found


def population_value(populations: dict[str, tuple[int, int]], country: str) -> IndicatorValue:
    """The country's population as a formula input."""
    found = populations.get(country)
    return IndicatorValue(HAS_VALUE, Decimal(found[0])) if found else MISSING


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True).select_related("axis"))


def _case_values(indicators, *, countries, year, suppress) -> dict[str, dict[str, IndicatorValue]]:
    found: dict[str, dict[str, IndicatorValue]] = {country: {} for country in countries}
    measured = {i.case_measure for i in indicators if i.computation == Computation.CASE_DATA}
    for measure in sorted(measured - {""}):
        counts = case_measure_values(
            measure=measure, countries=countries, year=year, suppress=suppress
        )
        for indicator in indicators:
            if indicator.case_measure != measure or indicator.computation != Computation.CASE_DATA:
                continue
            for country in countries:
                count = counts[country][TOTAL]
                found[country][indicator.code] = (
                    HIDDEN if count is None else IndicatorValue(HAS_VALUE, Decimal(count))
                )
    return found


def _survey_values(indicators, answered: dict) -> dict[str, IndicatorValue]:
    """`answered`: one country's survey_indicator_values."""
    values = {}
    for indicator in indicators:
        if indicator.computation != Computation.SURVEY:
            continue
        row = answered.get(indicator.code)
        if row is None:
            values[indicator.code] = MISSING
            continue
        value = row["value"]
        if isinstance(value, bool):
            value = Decimal(1 if value else 0)
        values[indicator.code] = IndicatorValue(
            HAS_VALUE, value_rounded(indicator.unit, value), row["pending"]
        )
    return values


def formula_value(indicator: Indicator, values: dict[str, IndicatorValue]) -> IndicatorValue:
    """The formula over `values` (which must hold every code it names, POPULATION included)."""
    needed = formula_references(indicator.numerator) + formula_references(indicator.denominator)
    inputs = [values.get(code, MISSING) for code in needed]
    if any(v.state == SUPPRESSED for v in inputs):
        return HIDDEN
    result = indicator_formula_value(
        numerator=indicator.numerator,
        denominator=indicator.denominator,
        factor=indicator.factor,
        values={code: values.get(code, MISSING).value for code in needed},
    )
    if result is None:
        return MISSING
    return IndicatorValue(
        HAS_VALUE, value_rounded(indicator.unit, result), any(v.pending for v in inputs)
    )


def formulas_resolve(indicators, values: dict[str, IndicatorValue]) -> None:
    """Add every formula indicator's value to `values`, formulas over formulas included."""
    waiting = [i for i in indicators if i.computation == Computation.FORMULA]
    while waiting:
        ready = [
            i
            for i in waiting
            if all(
                code in values
                for code in formula_references(i.numerator) + formula_references(i.denominator)
            )
        ]
        if not ready:  # a cycle or an inactive reference: nothing more can be computed
            for indicator in waiting:
                values[indicator.code] = formula_value(indicator, values)
            return
        for indicator in ready:
            values[indicator.code] = formula_value(indicator, values)
            waiting.remove(indicator)


def period_values(
    *,
    period: str,
    countries: list[str],
    include_pending: bool,
    suppress: bool,
    indicators: list[Indicator] | None = None,
) -> dict[str, dict[str, IndicatorValue]]:
    """{country: {indicator code: IndicatorValue}} for every active indicator; cached until
    the next write to the case database or the indicators (cache.py)."""
    indicators = active_indicators() if indicators is None else indicators
    return figures_cached(
        "period_values",
        lambda: period_values_computed(
            period=period,
            countries=countries,
            include_pending=include_pending,
            suppress=suppress,
            indicators=indicators,
        ),
        period=period,
        countries=tuple(countries),
        include_pending=include_pending,
        suppress=suppress,
        indicators=tuple(indicator.pk for indicator in indicators),
    )


def case_counts(
    *, measure: str, countries: list[str], year: int, by: str | None = None, suppress: bool
) -> dict[str, dict[str, int | None]]:
    """`case_measure_values`, cached like the figures made from it."""
    return figures_cached(
        "case_counts",
        lambda: case_measure_values(
            measure=measure, countries=countries, year=year, by=by, suppress=suppress
        ),
        measure=measure,
        countries=tuple(countries),
        year=year,
        by=by,
        suppress=suppress,
    )


def period_values_computed(
    *,
    period: str,
    countries: list[str],
    include_pending: bool,
    suppress: bool,
    indicators: list[Indicator],
) -> dict[str, dict[str, IndicatorValue]]:
    """`period_values` computed from the database, never from the cache."""
    year = period_year(period)
    if year is None:
        by_case = {country: {} for country in countries}
    else:
        by_case = _case_values(indicators, countries=countries, year=year, suppress=suppress)
    answered = survey_indicator_values_by_country(
        countries=countries, period=period, include_pending=include_pending
    )
    populations = populations_for(countries=countries, year=year)
    result = {}
    for country in countries:
        values = dict(by_case[country])
        for indicator in indicators:
            if indicator.computation == Computation.CASE_DATA:
                values.setdefault(indicator.code, MISSING)
        values.update(_survey_values(indicators, answered[country]))
        values[POPULATION] = population_value(populations, country)
        formulas_resolve(indicators, values)
        values.pop(POPULATION)
        result[country] = values
    return result

"""What the chart pages show: regional values turned into charts (charts.py draws them) and
the tables beside them. Every figure here is a regional view: accepted answers only, small
case counts suppressed."""

from django.utils.translation import gettext as _

from quipu.indicators.models import Indicator, Unit
from quipu.progress.breakdowns import indicator_breakdowns
from quipu.progress.charts import bar_chart, trend_chart
from quipu.progress.formatting import value_writer
from quipu.progress.harmonisation import harmonisation_rows, practices_in_place
from quipu.progress.region_map import region_map
from quipu.progress.selectors import (
    REGIONAL,
    member_countries,
    practices,
    values_by_period,
)
from quipu.progress.values import SUPPRESSED, IndicatorValue, period_values
from quipu.stats.categories import CATEGORIES, CATEGORY_LABELS, DISAGGREGATION_LABELS
from quipu.tenancy.country_order import countries_by_name


def _missing_label(values: list[IndicatorValue]) -> str:
    return _("Suppressed") if any(v.state == SUPPRESSED for v in values) else _("No data")


def _unit_label(indicator: Indicator) -> str:
    return indicator.get_unit_display()


def _bars(indicator, countries, values):
    cells = [values[c.code][indicator.code] for c in countries]
    return bar_chart(
        title=indicator.name,
        unit_label=_unit_label(indicator),
        bars=[(c.code, c.name, v.value) for c, v in zip(countries, cells, strict=True)],
        missing_label=_missing_label(cells),
        value_text=value_writer(indicator.unit),
    )


def _trend(indicator, countries, periods, by_period):
    cells = [by_period[p][c.code][indicator.code] for p in periods for c in countries]
    return trend_chart(
        title=indicator.name,
        unit_label=_unit_label(indicator),
        missing_label=_missing_label(cells),
        value_text=value_writer(indicator.unit),
        periods=periods,
        series=[
            (c.code, c.name, [by_period[p][c.code][indicator.code].value for p in periods])
            for c in countries
        ],
    )


def _yes_no(indicator, countries, periods, by_period) -> dict:
    """A yes/no indicator as each country's answer per period: a 0-1 bar or line says
    nothing a word does not say better (issue 14, item 8)."""
    rows = []
    for country in countries:
        cells = []
        for period in periods:
            value = by_period[period][country.code][indicator.code]
            answer = "missing" if value.value is None else ("yes" if value.value == 1 else "no")
            cells.append({"value": value, "answer": answer})
        rows.append({"country": country, "cells": cells})
    return {"title": indicator.name, "periods": periods, "rows": rows}


def _charts(indicator, countries, periods, period, by_period) -> dict:
    if indicator.unit == Unit.YES_NO:
        return {"yes_no": _yes_no(indicator, countries, periods, by_period)}
    return {
        "bars": _bars(indicator, countries, by_period[period]),
        "trend": _trend(indicator, countries, periods, by_period),
    }


def axis_charts(*, indicators: list[Indicator], periods: list[str], period: str) -> list[dict]:
    """For each indicator of an axis: countries in the period, and the trend over periods."""
    countries = countries_by_name(member_countries())
    by_period = values_by_period(
        countries=[c.code for c in countries], periods=periods, reading=REGIONAL
    )
    return [
        {"indicator": indicator, **_charts(indicator, countries, periods, period, by_period)}
        for indicator in indicators
    ]


def indicator_figures(*, indicator: Indicator, periods: list[str], period: str) -> dict:
    countries = countries_by_name(member_countries())
    codes = [c.code for c in countries]
    by_period = values_by_period(countries=codes, periods=periods, reading=REGIONAL)
    current = by_period[period]
    cells = [current[code][indicator.code] for code in codes]
    splits = indicator_breakdowns(
        indicator=indicator,
        countries=codes,
        period=period,
        suppress=REGIONAL.suppress,
        totals=current,
    )
    breakdowns = [
        {
            "title": DISAGGREGATION_LABELS[by],
            "categories": [CATEGORY_LABELS[(by, key)] for key in CATEGORIES[by]],
            "rows": [(c, [split[c.code][key] for key in CATEGORIES[by]]) for c in countries],
        }
        for by, split in splits.items()
    ]
    charts = _charts(indicator, countries, periods, period, by_period)
    if indicator.unit != Unit.YES_NO:  # a map of yes and no is the table above it, coloured
        charts["map"] = region_map(
            title=indicator.name,
            unit_label=_unit_label(indicator),
            values={code: cell.value for code, cell in zip(codes, cells, strict=True)},
            labels={c.code: c.name for c in countries},
            missing_label=_missing_label(cells),
            value_text=value_writer(indicator.unit),
        )
    return {**charts, "breakdowns": breakdowns}


def harmonisation_matrix(period: str) -> dict:
    countries = countries_by_name(member_countries())
    codes = [c.code for c in countries]
    compared = practices()
    values = period_values(
        period=period,
        countries=codes,
        include_pending=False,
        suppress=True,
        indicators=compared,
    )
    rows = harmonisation_rows(practices=compared, countries=codes, values=values)
    in_place = practices_in_place(rows, codes)
    return {
        "countries": countries,
        "rows": rows,
        "in_place": [in_place[code] for code in codes],
        "practice_count": len(compared),
    }

"""The regional map: a choropleth of South America in five equal classes with round bounds.

Outlines come from data/south_america.json (Natural Earth via world-atlas, public domain; see
scripts/region_map_build.py), already projected to SVG coordinates.
"""

import gettext as gnu_gettext
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import cache
from pathlib import Path

import pycountry
from django.utils.translation import get_language, gettext, to_locale

from quipu.progress.charts import html_id, nice_step, number_text, snapped, value_heading

OUTLINES = Path(__file__).resolve().parent / "data" / "south_america.json"
CLASS_COUNT = 5
# ColorBrewer YlGnBu (colour-blind safe), its six-class ramp without the palest step, so that
# the lowest class still stands apart from the grey of countries outside the chart.
CLASS_COLOURS = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
OUTSIDE_FILL = "#f1efea"
HATCH_GROUND, HATCH_INK = "#e3ddd2", "#8a8578"
HAS_VALUE, MISSING, OUTSIDE = "value", "missing", "outside"


@dataclass(frozen=True)
class MapClass:
    low: Decimal
    high: Decimal
    colour: str
    text: str


@dataclass(frozen=True)
class MapCountry:
    code: str
    label: str
    value: Decimal | None
    state: str  # HAS_VALUE, MISSING (in the chart, None) or OUTSIDE (not in the chart)
    text: str  # the formatted value or the missing label; empty when OUTSIDE
    path: str  # SVG path data; empty when the map has no outline for the code
    fill: str

    @property
    def tooltip(self) -> str:
        return f"{self.label}: {self.text}" if self.text else self.label


@dataclass(frozen=True)
class RegionMap:
    html_id: str
    title: str
    unit_label: str
    value_heading: str
    missing_label: str
    view_box: str
    countries: list[MapCountry]  # every outline, for the SVG
    rows: list[MapCountry]  # the countries given values, in their order, for the table
    classes: list[MapClass]

    @property
    def hatch_id(self) -> str:
        return f"{self.html_id}-hatch"

    @property
    def has_missing(self) -> bool:
        return any(row.state == MISSING for row in self.rows)


@cache
def outlines() -> dict:
    return json.loads(OUTLINES.read_text())


def class_bounds(values: list[Decimal]) -> list[Decimal]:
    """Six round bounds of five equal classes that cover `values`: readable in a legend, and
    the same values always land in the same classes."""
    low, high = min(values), max(values)
    step = nice_step(high - low if high > low else abs(high) or Decimal(1), CLASS_COUNT)
    first = snapped(low, step, ROUND_FLOOR)
    while first + step * CLASS_COUNT < high:
        step = nice_step(step * Decimal("1.001"), 1)  # the next round step up
        first = snapped(low, step, ROUND_FLOOR)
    return [first + step * i for i in range(CLASS_COUNT + 1)]


def class_index(value: Decimal, bounds: list[Decimal]) -> int:
    """Classes include their lower bound; the last one includes its upper bound too."""
    for index in range(CLASS_COUNT - 1, 0, -1):
        if value >= bounds[index]:
            return index
    return 0


def class_text(low: Decimal, high: Decimal, last: bool) -> str:
    numbers = {"low": number_text(low), "high": number_text(high)}
    if last:
        return gettext("%(low)s to %(high)s") % numbers
    return gettext("%(low)s to under %(high)s") % numbers


def country_name(code: str) -> str:
    """The ISO name in the active language, for outlines the caller gave no label for."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    translation = gnu_gettext.translation(
        "iso3166-1",
        pycountry.LOCALES_DIR,
        languages=[to_locale(get_language() or "en")],
        fallback=True,
    )
    return translation.gettext(country.name)


def region_map(
    *,
    title: str,
    unit_label: str,
    values: dict[str, Decimal | None],
    labels: dict[str, str],
    missing_label: str,
    value_text: Callable[[Decimal], str] = number_text,
) -> RegionMap:
    """Countries in `values` filled by class (None hatched as `missing_label`), the other
    outlines drawn light grey as context; `value_text` writes a country's value."""
    known = [value for value in values.values() if value is not None]
    bounds = class_bounds(known) if known else []
    classes = [
        MapClass(bounds[i], bounds[i + 1], colour, class_text(bounds[i], bounds[i + 1], i == 4))
        for i, colour in enumerate(CLASS_COLOURS)
        if bounds
    ]
    chart_id = html_id("map", title, unit_label, values)
    paths: dict[str, str] = outlines()["countries"]

    def country(code: str) -> MapCountry:
        label = labels.get(code) or country_name(code)
        if code not in values:
            return MapCountry(code, label, None, OUTSIDE, "", paths.get(code, ""), OUTSIDE_FILL)
        value = values[code]
        if value is None:
            fill = f"url(#{chart_id}-hatch)"
            return MapCountry(code, label, None, MISSING, missing_label, paths.get(code, ""), fill)
        fill = CLASS_COLOURS[class_index(value, bounds)]
        return MapCountry(
            code, label, value, HAS_VALUE, value_text(value), paths.get(code, ""), fill
        )

    return RegionMap(
        html_id=chart_id,
        title=title,
        unit_label=unit_label,
        value_heading=value_heading(unit_label),
        missing_label=missing_label,
        view_box=outlines()["viewBox"],
        countries=[country(code) for code in paths],
        rows=[country(code) for code in values],
        classes=classes,
    )

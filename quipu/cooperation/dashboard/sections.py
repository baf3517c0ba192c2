"""The dashboard's building blocks: sections of figures per country, with no personal data.

Each section computes, for a list of countries, a dict country code -> metric code -> value;
the key REGION holds the region-wide figure (a sum for counts, the median of all items for
ages and response times, never a median of medians).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import median

REGION = ""


@dataclass(frozen=True)
class Metric:
    code: str
    label: str  # a lazy translation
    unit: str = "count"  # "count", or "days" (a median)


Figures = dict[str, dict[str, float | int | None]]


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    metrics: tuple[Metric, ...]
    compute: Callable[[list[str]], Figures]
    order: int = 50


_SECTIONS: dict[str, Section] = {}


def section_register(section: Section) -> Section:
    _SECTIONS[section.code] = section
    return section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.code))


def days_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def median_days(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(median(values), 1) if values else None


def tally(
    countries: list[str], items: Iterable[tuple[str, dict[str, float | int]]], *, days: set[str]
) -> Figures:
    """Figures from (country, {metric: value}) items: counts are summed, day metrics take the
    median of the items' values, per country and over the region."""
    counts: dict[str, dict[str, float]] = {c: {} for c in [*countries, REGION]}
    samples: dict[str, dict[str, list[float]]] = {c: {} for c in [*countries, REGION]}
    for country, values in items:
        for key in (country, REGION):
            if key not in counts:
                continue
            for metric, value in values.items():
                if metric in days:
                    samples[key].setdefault(metric, []).append(value)
                else:
                    counts[key][metric] = counts[key].get(metric, 0) + value
    for key, per_metric in samples.items():
        for metric, values in per_metric.items():
            counts[key][metric] = median_days(values)
    return counts

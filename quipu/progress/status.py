"""Baseline, latest value, change and status of one indicator in one country.

The status compares the latest value with where the country would be on a straight line from
its baseline to its target in the target year (the pace rule of SDG progress assessments):
- on track: at or beyond that point, in the direction of the target (or the target is met);
- off track: short of it;
- no data: no value in any period, or the latest one is suppressed in a regional view;
- no target: values exist, but the country has set no target.
A yes/no practice is on track when the latest answer is the target answer.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from quipu.indicators.models import Unit
from quipu.progress.values import NO_DATA as NO_DATA_STATE
from quipu.progress.values import IndicatorValue, period_year

ON_TRACK, OFF_TRACK, NO_DATA, NO_TARGET = "on_track", "off_track", "no_data", "no_target"
STATUS_LABELS = {
    ON_TRACK: _("On track"),
    OFF_TRACK: _("Off track"),
    NO_DATA: _("No data"),
    NO_TARGET: _("No target set"),
}


@dataclass(frozen=True)
class Target:
    value: Decimal
    year: int


@dataclass(frozen=True)
class Progress:
    """One indicator in one country across periods."""

    baseline_period: str | None
    baseline: IndicatorValue | None
    latest_period: str | None
    latest: IndicatorValue | None
    change: Decimal | None
    target: Target | None
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def pending(self) -> bool:
        return bool(self.latest and self.latest.pending) or bool(
            self.baseline and self.baseline.pending
        )


def expected_value(*, baseline: Decimal, base_year: int, target: Target, year: int) -> Decimal:
    """Where a straight line from the baseline to the target stands in `year`."""
    if target.year <= base_year:
        return target.value
    share = min(Decimal(1), Decimal(max(year - base_year, 0)) / Decimal(target.year - base_year))
    return baseline + (target.value - baseline) * share


def status_of(
    *, unit: str, baseline: tuple[str, Decimal], latest: tuple[str, Decimal], target: Target
) -> str:
    (base_period, base_value), (latest_period, latest_value) = baseline, latest
    if unit == Unit.YES_NO:
        return ON_TRACK if latest_value == target.value else OFF_TRACK
    if target.value == base_value:  # hold the baseline
        return ON_TRACK if latest_value == target.value else OFF_TRACK
    rising = target.value > base_value
    if (latest_value >= target.value) if rising else (latest_value <= target.value):
        return ON_TRACK
    base_year, year = period_year(base_period), period_year(latest_period)
    if base_year is None or year is None:
        return OFF_TRACK  # no calendar to pace against: only meeting the target counts
    expected = expected_value(baseline=base_value, base_year=base_year, target=target, year=year)
    on_pace = latest_value >= expected if rising else latest_value <= expected
    return ON_TRACK if on_pace else OFF_TRACK


def progress_of(
    *, unit: str, by_period: list[tuple[str, IndicatorValue]], target: Target | None
) -> Progress:
    """`by_period`: the indicator's values in period order (oldest first)."""
    known = [(period, value) for period, value in by_period if value.known]
    told = [(period, value) for period, value in by_period if value.state != NO_DATA_STATE]
    if not told:
        return Progress(None, None, None, None, None, target, NO_DATA)
    latest_period, latest = told[-1]
    if not latest.known:  # the latest figure is suppressed: say so, and judge nothing
        base_period, base = known[0] if known else (None, None)
        return Progress(base_period, base, latest_period, latest, None, target, NO_DATA)
    base_period, base = known[0]
    change = latest.value - base.value if latest_period != base_period else None
    if target is None:
        status = NO_TARGET
    else:
        status = status_of(
            unit=unit,
            baseline=(base_period, base.value),
            latest=(latest_period, latest.value),
            target=target,
        )
    return Progress(base_period, base, latest_period, latest, change, target, status)

"""Baseline, latest, change and status against hand-computed cases of the pace rule."""

from decimal import Decimal

import pytest

from quipu.progress.status import (
    NO_DATA,
    NO_TARGET,
    OFF_TRACK,
    ON_TRACK,
    Target,
    expected_value,
    progress_of,
)
from quipu.progress.values import HAS_VALUE, MISSING, IndicatorValue


def _values(*pairs):
    return [
        (period, MISSING if value is None else IndicatorValue(HAS_VALUE, Decimal(value)))
        for period, value in pairs
    ]


def test_expected_value_is_a_straight_line_from_baseline_to_target():
    target = Target(Decimal(20), 2029)
    assert expected_value(baseline=Decimal(10), base_year=2024, target=target, year=2025) == 12
    assert expected_value(baseline=Decimal(10), base_year=2024, target=target, year=2035) == 20


@pytest.mark.parametrize(
    ("latest", "status"), [("12", ON_TRACK), ("11.9", OFF_TRACK), ("25", ON_TRACK)]
)
def test_rising_target_is_on_track_at_or_above_the_line(latest, status):
    progress = progress_of(
        unit="count",
        by_period=_values(("2024", "10"), ("2025", latest)),
        target=Target(Decimal(20), 2029),
    )
    assert progress.status == status
    assert progress.change == Decimal(latest) - 10


def test_falling_target_is_off_track_above_the_line():
    # 50 towards 30 by 2026: 40 expected in 2025, so 45 is behind and 40 is on the line.
    target = Target(Decimal(30), 2026)
    behind = progress_of(
        unit="rate_100k", by_period=_values(("2024", 50), ("2025", 45)), target=target
    )
    on_line = progress_of(
        unit="rate_100k", by_period=_values(("2024", 50), ("2025", 40)), target=target
    )
    assert (behind.status, on_line.status) == (OFF_TRACK, ON_TRACK)


def test_baseline_and_latest_skip_periods_without_data():
    progress = progress_of(
        unit="count",
        by_period=_values(("2023", None), ("2024", 7), ("2025", None)),
        target=None,
    )
    assert (progress.baseline_period, progress.latest_period) == ("2024", "2024")
    assert progress.change is None  # one period: no change to show
    assert progress.status == NO_TARGET


def test_no_value_in_any_period_is_no_data():
    progress = progress_of(
        unit="count", by_period=_values(("2024", None)), target=Target(Decimal(1), 2030)
    )
    assert progress.status == NO_DATA and progress.latest is None


def test_yes_no_practice_is_on_track_when_in_place():
    target = Target(Decimal(1), 2027)
    assert (
        progress_of(
            unit="yes_no", by_period=_values(("2024", 0), ("2025", 1)), target=target
        ).status
        == ON_TRACK
    )
    assert (
        progress_of(
            unit="yes_no", by_period=_values(("2024", 0), ("2025", 0)), target=target
        ).status
        == OFF_TRACK
    )


def test_holding_a_baseline_is_on_track_only_while_held():
    target = Target(Decimal(5), 2027)
    held = progress_of(unit="count", by_period=_values(("2024", 5), ("2025", 5)), target=target)
    lost = progress_of(unit="count", by_period=_values(("2024", 5), ("2025", 4)), target=target)
    assert (held.status, lost.status) == (ON_TRACK, OFF_TRACK)


def test_a_suppressed_latest_figure_is_shown_as_such_and_not_judged():
    by_period = _values(("2024", 0)) + [("2025", IndicatorValue("suppressed"))]
    progress = progress_of(unit="count", by_period=by_period, target=Target(Decimal(5), 2030))
    assert progress.latest.state == "suppressed" and progress.latest_period == "2025"
    assert progress.status == NO_DATA and progress.change is None

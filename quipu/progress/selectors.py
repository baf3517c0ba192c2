"""Reads for the progress pages, exports and API, decided by the permission layer.

Progress needs READ_AGGREGATES. A regional view (the secretariat, or anyone looking at another
country) reads accepted answers only with small case counts suppressed; a country's own focal
point or analyst reads its own figures whole, pending answers included and marked.
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from quipu.indicators.models import Axis, Indicator, Unit
from quipu.indicators.round_models import SurveyRound
from quipu.progress.models import CountryTarget
from quipu.progress.status import Progress, Target, progress_of
from quipu.progress.values import IndicatorValue, active_indicators, period_values, period_year
from quipu.tenancy.models import Country
from quipu.tenancy.permissions import principal_for, require
from quipu.tenancy.roles import Capability, Scope


@dataclass(frozen=True)
class Reading:
    """How one user reads one country's figures."""

    include_pending: bool
    suppress: bool

    @property
    def national(self) -> bool:
        return self.include_pending


REGIONAL = Reading(include_pending=False, suppress=True)
NATIONAL = Reading(include_pending=True, suppress=False)


def progress_reader(user, *, request=None):
    """The user's principal, or NotAllowed (audited) without READ_AGGREGATES."""
    return require(user, Capability.READ_AGGREGATES, request=request)


def reading_for(user, *, country: str | None) -> Reading:
    principal = principal_for(user)
    own = (
        country is not None
        and principal.scope(Capability.READ_AGGREGATES) is Scope.COUNTRY
        and principal.country_id == country
    )
    return NATIONAL if own else REGIONAL


def member_countries() -> list[Country]:
    return list(Country.objects.filter(is_member=True).order_by("code"))


def country_visible(*, code: str) -> Country:
    country = Country.objects.filter(code=code.upper(), is_member=True).first()
    if country is None:
        raise Http404
    return country


def progress_periods() -> list[str]:
    """The periods of the survey rounds that are calendar years, oldest first; the last
    complete year when no round is open yet."""
    periods = {p for p in SurveyRound.objects.values_list("period", flat=True) if period_year(p)}
    return sorted(periods) or [str(timezone.localdate().year - 1)]


def period_chosen(requested: str | None, periods: list[str]) -> str:
    return requested if requested in periods else periods[-1]


def periods_until(periods: list[str], period: str) -> list[str]:
    """The periods up to `period`: what its baseline, latest value and status are read from."""
    return periods[: periods.index(period) + 1]


def targets_for(*, countries: list[str]) -> dict[tuple[str, str], Target]:
    rows = CountryTarget.objects.filter(country_id__in=countries).select_related("indicator")
    return {
        (row.indicator.code, row.country_id): Target(row.value, row.target_year) for row in rows
    }


def values_by_period(
    *, countries: list[str], periods: list[str], reading: Reading, indicators=None
) -> dict[str, dict[str, dict[str, IndicatorValue]]]:
    """{period: {country: {code: value}}}."""
    indicators = active_indicators() if indicators is None else indicators
    return {
        period: period_values(
            period=period,
            countries=countries,
            include_pending=reading.include_pending,
            suppress=reading.suppress,
            indicators=indicators,
        )
        for period in periods
    }


def progress_table(
    *, countries: list[str], periods: list[str], reading: Reading
) -> dict[tuple[str, str], Progress]:
    """{(indicator code, country): Progress} for every active indicator."""
    indicators = active_indicators()
    values = values_by_period(
        countries=countries, periods=periods, reading=reading, indicators=indicators
    )
    targets = targets_for(countries=countries)
    return {
        (indicator.code, country): progress_of(
            unit=indicator.unit,
            by_period=[(period, values[period][country][indicator.code]) for period in periods],
            target=targets.get((indicator.code, country)),
        )
        for indicator in indicators
        for country in countries
    }


def axes_with_indicators() -> list[tuple[Axis, list[Indicator]]]:
    indicators = active_indicators()
    return [
        (axis, [i for i in indicators if i.axis_id == axis.pk])
        for axis in Axis.objects.all()
        if any(i.axis_id == axis.pk for i in indicators)
    ]


def practices() -> list[Indicator]:
    """The yes/no indicators: the practices the harmonisation matrix compares."""
    return [i for i in active_indicators() if i.unit == Unit.YES_NO]

"""Case-data measures per country and calendar year, total or disaggregated.

A measure is what a case-data indicator counts (the codes of the indicator framework's case
measures, taken here as plain strings: stats sits below indicators). Each call is one
aggregate query, grouped by the owning institution's country, on SQLite and PostgreSQL alike.

When a row falls in a year (decisions in docs/decisions.md):
- victims, suspects and smuggling cases: the case's year of registration (CTDC's
  yearOfRegistration), or the year of its registration date when the year is not recorded;
- consular referrals: the outgoing referral's date, or the case's year when it has no date;
- persons prosecuted: a charge, trial, conviction or acquittal dated in the year;
- persons convicted: a conviction dated in the year.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, Model, OuterRef, Q
from django.utils.translation import gettext as _

from quipu.cases.models import Case, Perpetrator, ProsecutionStep, SupportPlan, Victim
from quipu.stats.categories import BANDS, CATEGORIES, TOTAL, Unit
from quipu.tenancy.models import Institution, InstitutionKind

NOT_A_VICTIM = "NotAVictimOfTrafficking"
PROSECUTION_STAGES = ("charge", "trial", "conviction", "acquittal")

VICTIM = Unit(country="case__owner__country_id", person="person__", victim="")
PERPETRATOR = Unit(
    country="case__owner__country_id",
    person="person__",
    victim="case__victims__",
    age_from_victim=False,
)
CASE = Unit(country="owner__country_id", person="victims__person__", victim="victims__")


class UnknownMeasure(ValueError):
    """A measure or disaggregation code that this module does not compute."""


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def registered_in(year: int, case: str = "case__") -> Q:
    """The case's year of registration, or its registration date's year when that is blank."""
    return Q(**{f"{case}registration_year": year}) | Q(
        **{
            f"{case}registration_year__isnull": True,
            f"{case}registered_on__range": _year_range(year),
        }
    )


def _detected_victims(year: int) -> Q:
    # Possible (presumed) victims count, as GLOTIP's "detected"; ruled-out people do not.
    return Q(case__kind="TIP") & registered_in(year) & ~Q(trafficking_status=NOT_A_VICTIM)


def _child(year: int) -> Q:
    return Q(BANDS["age_group"](VICTIM, year)["child"])


def _with_support_plan(year: int) -> Q:
    plans = SupportPlan.objects.filter(
        Q(victim=OuterRef("pk")) | Q(victim__isnull=True, case=OuterRef("case"))
    )
    return _detected_victims(year) & Q(Exists(plans))


def _referred_consular(year: int) -> Q:
    """An outgoing referral by a consulate, or to a consulate or another country's body."""
    referred_to = "case__referred_organisation"
    dated = Q(case__outgoing_referral_date__range=_year_range(year))
    undated = Q(case__outgoing_referral_date__isnull=True) & ~Q(**{referred_to: ""})
    foreign_body = Institution.objects.filter(
        Q(code=OuterRef(referred_to)) | Q(name=OuterRef(referred_to))
    ).filter(
        Q(kind=InstitutionKind.CONSULATE)
        | (Q(country__isnull=False) & ~Q(country_id=OuterRef("case__owner__country_id")))
    )
    consular = (
        Q(case__owner__kind=InstitutionKind.CONSULATE)
        | Q(**{f"{referred_to}__icontains": "consul"})
        | Q(Exists(foreign_body))
    )
    return (
        Q(case__kind="TIP")
        & ~Q(trafficking_status=NOT_A_VICTIM)
        & (dated | (undated & registered_in(year)))
        & consular
    )


def _suspects(year: int) -> Q:
    return Q(case__kind="TIP") & registered_in(year)


def _steps_in(year: int, stages: tuple[str, ...]) -> Q:
    steps = ProsecutionStep.objects.filter(
        case=OuterRef("case"), stage__in=stages, date__range=_year_range(year)
    )
    return Q(case__kind="TIP") & Q(Exists(steps))


def _prosecuted(year: int) -> Q:
    return _steps_in(year, PROSECUTION_STAGES)


def _convicted(year: int) -> Q:
    return _steps_in(year, ("conviction",))


def _smuggling_cases(year: int) -> Q:
    return Q(kind="SOM") & registered_in(year, case="")


@dataclass(frozen=True)
class Measure:
    model: type[Model]
    unit: Unit
    condition: Callable[[int], Q]


MEASURES: dict[str, Measure] = {
    "victims_detected": Measure(Victim, VICTIM, _detected_victims),
    "child_victims_detected": Measure(Victim, VICTIM, lambda y: _detected_victims(y) & _child(y)),
    "victims_with_support_plan": Measure(Victim, VICTIM, _with_support_plan),
    "victims_referred_consular": Measure(Victim, VICTIM, _referred_consular),
    "suspects": Measure(Perpetrator, PERPETRATOR, _suspects),
    "prosecuted": Measure(Perpetrator, PERPETRATOR, _prosecuted),
    "convicted": Measure(Perpetrator, PERPETRATOR, _convicted),
    "smuggling_cases": Measure(Case, CASE, _smuggling_cases),
}


def case_measure_counts(
    *, measure: str, countries: list[str], year: int, by: str | None = None
) -> dict[str, dict[str, int]]:
    """Exact counts: {country: {"total": n}}, or with one key per category of `by` as well.

    Every requested country is in the result, with zeros when it has nothing to count.
    """
    if measure not in MEASURES:
        raise UnknownMeasure(_("Unknown case measure: %(code)s") % {"code": measure})
    if by is not None and by not in BANDS:
        raise UnknownMeasure(_("Unknown disaggregation: %(code)s") % {"code": by})
    spec = MEASURES[measure]
    unit = spec.unit
    # distinct: a case counts once per category however many of its victims fall in it.
    counts = {TOTAL: Count("pk", distinct=True)}
    if by is not None:
        for category, flag in BANDS[by](unit, year).items():
            counts[category] = Count("pk", distinct=True, filter=Q(flag))
    rows = (
        spec.model.objects.filter(spec.condition(year), **{f"{unit.country}__in": countries})
        .values(stats_country=F(unit.country))
        .annotate(**counts)
        .order_by()
    )
    keys = [*(CATEGORIES[by] if by else ()), TOTAL]
    found = {row["stats_country"]: {key: row[key] for key in keys} for row in rows}
    return {country: found.get(country, dict.fromkeys(keys, 0)) for country in countries}

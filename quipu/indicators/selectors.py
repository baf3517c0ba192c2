"""Reads for the framework and surveys. The framework is regional reference data: every
signed-in user may read it; only writes are limited (services.py)."""

from django.db.models import Prefetch
from django.http import Http404

from quipu.indicators.models import Axis, Indicator, Population, Survey


def framework_by_axis(*, include_inactive: bool = False) -> list[Axis]:
    indicators = (
        Indicator.objects.all() if include_inactive else Indicator.objects.filter(is_active=True)
    )
    return list(
        Axis.objects.prefetch_related(
            Prefetch("indicators", queryset=indicators.order_by("order", "code"))
        )
    )


def indicator_codes() -> set[str]:
    return set(Indicator.objects.values_list("code", flat=True))


def population_figures() -> list[Population]:
    return list(Population.objects.all())


def surveys_latest() -> list[Survey]:
    """The latest imported version of each form."""
    latest: dict[str, Survey] = {}
    for survey in Survey.objects.defer("survey_json", "xform").order_by("-imported_at", "-pk"):
        latest.setdefault(survey.form_id, survey)
    return sorted(latest.values(), key=lambda s: s.title.casefold())


def survey_latest(*, form_id: str) -> Survey:
    survey = Survey.objects.filter(form_id=form_id).order_by("-imported_at", "-pk").first()
    if survey is None:
        raise Http404
    return survey


def survey_indicators(survey: Survey) -> dict[str, Indicator]:
    """{question path: indicator} for the questions that feed one."""
    return {
        question.path: question.indicator
        for question in survey.questions.select_related("indicator").exclude(indicator=None)
    }

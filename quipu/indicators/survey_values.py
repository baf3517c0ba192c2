"""National values of survey-based indicators for a country and period (a first step of
issue 6 point 5): each institution's answers to the questions that feed an indicator,
combined by the indicator's rule (any, all, sum, mean, latest).

Regional views call it with include_pending=False (accepted answers only); national views may
pass True and must show values marked `pending` as such.
"""

from decimal import Decimal, InvalidOperation

from quipu.indicators.models import Aggregation, Computation, Indicator, SurveyQuestion
from quipu.indicators.round_selectors import submission_values_of

YES, NO = "yes", "no"  # "dont_know" and blanks do not count either way


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return None


def _combine(rule: str, answers: list[tuple[str, object]]):
    """`answers`: (text, submitted_at) of each institution; None when none can be used."""
    texts = [text for text, _at in answers]
    if rule in (Aggregation.ANY, Aggregation.ALL):
        known = [text for text in texts if text in (YES, NO)]
        if not known:
            return None
        return YES in known if rule == Aggregation.ANY else all(t == YES for t in known)
    if rule == Aggregation.LATEST:
        dated = sorted((at, text) for text, at in answers if at is not None and text != "")
        return _number(dated[-1][1]) if dated else None
    numbers = [n for n in map(_number, texts) if n is not None]
    if not numbers:
        return None
    if rule == Aggregation.SUM:
        return sum(numbers, Decimal(0))
    return (sum(numbers, Decimal(0)) / len(numbers)).quantize(Decimal("0.01"))


def survey_indicator_values(*, country: str, period: str, include_pending: bool) -> dict:
    """{indicator code: {"value", "pending", "institutions"}} for the survey-based indicators
    that at least one institution of the country answered for the period."""
    return survey_indicator_values_by_country(
        countries=[country], period=period, include_pending=include_pending
    )[country]


def survey_indicator_values_by_country(
    *, countries: list[str], period: str, include_pending: bool
) -> dict[str, dict]:
    """{country: survey_indicator_values of that country}, in three queries for them all."""
    rows = submission_values_of(countries=countries, period=period, include_pending=include_pending)
    paths: dict[str, set[str]] = {}
    for question in SurveyQuestion.objects.filter(
        indicator__computation=Computation.SURVEY, indicator__is_active=True
    ).select_related("indicator"):
        paths.setdefault(question.indicator.code, set()).add(question.path)
    rules = dict(Indicator.objects.filter(code__in=paths).values_list("code", "aggregation"))
    return {
        country: _country_values([row for row in rows if row["country"] == country], paths, rules)
        for country in countries
    }


def _country_values(rows: list[dict], paths: dict[str, set[str]], rules: dict) -> dict:
    values = {}
    for code, wanted in sorted(paths.items()):
        answers, pending = [], False
        for row in rows:
            for path in wanted & set(row["answers"]):
                answers.append((row["answers"][path], row["submitted_at"]))
                pending = pending or row["pending"]
        value = _combine(rules[code], answers)
        if value is not None:
            values[code] = {"value": value, "pending": pending, "institutions": len(answers)}
    return values

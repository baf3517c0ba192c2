"""The harmonisation matrix: member states × practices (the yes/no indicators of the
framework, such as a national action plan or a specialised prosecution unit).

For each practice it says whether the countries converge (all that answered have it, or none
has) or diverge, which is what the baseline is meant to show. Only accepted answers count:
the matrix is a regional view.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from quipu.indicators.models import Indicator
from quipu.progress.values import IndicatorValue

YES, NO, UNKNOWN = "yes", "no", "unknown"
ALL_HAVE, NONE_HAS, DIVERGE, TOO_FEW = "all_have", "none_has", "diverge", "too_few"
CONVERGENCE_LABELS = {
    ALL_HAVE: _("Converges: in place everywhere"),
    NONE_HAS: _("Converges: in place nowhere"),
    DIVERGE: _("Diverges"),
    TOO_FEW: _("Too few answers"),
}
MIN_ANSWERS = 2  # convergence needs at least two countries that answered


@dataclass(frozen=True)
class PracticeRow:
    practice: Indicator
    cells: list[tuple[str, str]]  # (country code, YES / NO / UNKNOWN) in column order
    with_practice: int
    without_practice: int
    unanswered: int
    convergence: str

    @property
    def convergence_label(self) -> str:
        return str(CONVERGENCE_LABELS[self.convergence])


def _answer(value: IndicatorValue | None) -> str:
    if value is None or not value.known:
        return UNKNOWN
    return YES if value.value == 1 else NO


def convergence_of(answers: list[str]) -> str:
    known = [a for a in answers if a != UNKNOWN]
    if len(known) < MIN_ANSWERS:
        return TOO_FEW
    if all(a == YES for a in known):
        return ALL_HAVE
    if all(a == NO for a in known):
        return NONE_HAS
    return DIVERGE


def harmonisation_rows(
    *,
    practices: list[Indicator],
    countries: list[str],
    values: dict[str, dict[str, IndicatorValue]],
) -> list[PracticeRow]:
    """`values`: {country: {code: value}} for one period, as `period_values` returns them."""
    rows = []
    for practice in practices:
        cells = [(c, _answer(values.get(c, {}).get(practice.code))) for c in countries]
        answers = [answer for _c, answer in cells]
        rows.append(
            PracticeRow(
                practice=practice,
                cells=cells,
                with_practice=answers.count(YES),
                without_practice=answers.count(NO),
                unanswered=answers.count(UNKNOWN),
                convergence=convergence_of(answers),
            )
        )
    return rows


def practices_in_place(rows: list[PracticeRow], countries: list[str]) -> dict[str, int]:
    """How many practices each country has in place: the matrix's bottom line."""
    counted = dict.fromkeys(countries, 0)
    for row in rows:
        for country, answer in row.cells:
            counted[country] += answer == YES
    return counted

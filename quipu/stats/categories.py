"""Disaggregations: the categories a count is broken down by, as database expressions.

Each disaggregation maps a category code to a boolean expression over one counted row, so
that every category is one conditional COUNT in a single query. Sex, age group and
nationality are exclusive (first matching rule wins, the last category catches the rest);
form of exploitation is not: a victim exploited in several forms counts once in each.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Case, F, Q, Value, When
from django.db.models.expressions import Expression
from django.utils.translation import gettext_lazy as _

from quipu.cases.fields import has_code
from quipu.cases.vocabulary import codes

TOTAL = "total"

# HTCDS/CTDC age groups under 18 (age at registration, as CTDC's ageBroad).
CHILD_AGE_GROUPS = ("0--8", "9--17")
# GLOTIP's forms: sexual exploitation, forced labour (servitude and slavery included), other.
SEXUAL_CODES = ("SexualExploitation", "SexAndLabour")
LABOUR_CODES = ("ForcedLabour", "ChildLabour", "Servitude", "SlaveryAndPractices", "SexAndLabour")

CATEGORIES: dict[str, tuple[str, ...]] = {
    "sex": ("female", "male", "other_or_unknown"),
    "age_group": ("child", "adult", "unknown"),
    "exploitation": ("sexual", "labour", "other", "unknown"),
    "nationality": ("national", "member_state", "other", "unknown"),
}

DISAGGREGATION_LABELS = {
    "sex": _("Sex"),
    "age_group": _("Age group"),
    "exploitation": _("Form of exploitation"),
    "nationality": _("Nationality"),
}

CATEGORY_LABELS = {
    ("sex", "female"): _("Female"),
    ("sex", "male"): _("Male"),
    ("sex", "other_or_unknown"): _("Other or unknown sex"),
    ("age_group", "child"): _("Child (under 18)"),
    ("age_group", "adult"): _("Adult (18 or over)"),
    ("age_group", "unknown"): _("Unknown age"),
    ("exploitation", "sexual"): _("Sexual exploitation"),
    ("exploitation", "labour"): _("Labour exploitation"),
    ("exploitation", "other"): _("Other forms of exploitation"),
    ("exploitation", "unknown"): _("Unknown form of exploitation"),
    ("nationality", "national"): _("Nationals"),
    ("nationality", "member_state"): _("Nationals of other member states"),
    ("nationality", "other"): _("Nationals of other countries"),
    ("nationality", "unknown"): _("Unknown nationality"),
}


def category_label(by: str | None, category: str) -> str:
    """The translated column heading of a category code ("total" included)."""
    if category == TOTAL:
        return str(_("Total"))
    return str(CATEGORY_LABELS.get((by or "", category), category))


@dataclass(frozen=True)
class Unit:
    """What one measure counts, and the paths from a counted row to the data it needs.

    `victim` reaches the victim context whose age and exploitation apply (for a case: its
    victims; for a perpetrator: the victims of the case); `age_from_victim` is False for
    perpetrators, whose only age evidence is their date of birth.
    """

    country: str  # the owning institution's country
    person: str  # prefix of the person's fields
    victim: str  # prefix of the victim context's fields
    age_from_victim: bool = True


def _flag(whens: list[tuple[Q, str]], default: str, category: str) -> Expression:
    """True when the first matching rule (or the default) gives `category`."""
    return Case(
        *[When(condition, then=Value(code == category)) for condition, code in whens],
        default=Value(default == category),
        output_field=BooleanField(),
    )


def _exclusive(whens: list[tuple[Q, str]], default: str, by: str) -> dict[str, Expression]:
    return {category: _flag(whens, default, category) for category in CATEGORIES[by]}


def _sex(unit: Unit, year: int) -> dict[str, Expression]:
    # Gender as recorded: transgender and non-conforming people are not assigned a sex here.
    gender = f"{unit.person}gender"
    whens = [(Q(**{gender: "Feminine"}), "female"), (Q(**{gender: "Masculine"}), "male")]
    return _exclusive(whens, "other_or_unknown", "sex")


def age_rules(unit: Unit, year: int) -> list[tuple[Q, str]]:
    """Age group, then adult/minor status, then the age reached on 31 December of the year."""
    whens: list[tuple[Q, str]] = []
    if unit.age_from_victim:
        adult_groups = [code for code in codes("age_group") if code not in CHILD_AGE_GROUPS]
        majority = f"{unit.victim}majority_status"
        whens += [
            (Q(**{f"{unit.victim}age_group__in": CHILD_AGE_GROUPS}), "child"),
            (Q(**{f"{unit.victim}age_group__in": adult_groups}), "adult"),
            (Q(**{majority: "Minor"}), "child"),
            (Q(**{majority: "Adult"}), "adult"),
        ]
    came_of_age_by = date(year - 18, 12, 31)  # born on or before: 18 or over by year end
    birthdate = f"{unit.person}birthdate"
    whens += [
        (Q(**{f"{birthdate}__gt": came_of_age_by}), "child"),
        (Q(**{f"{birthdate}__lte": came_of_age_by}), "adult"),
    ]
    return whens


def _age_group(unit: Unit, year: int) -> dict[str, Expression]:
    return _exclusive(age_rules(unit, year), "unknown", "age_group")


def _any_code(field: str, wanted: tuple[str, ...]) -> Q:
    condition = Q()
    for code in wanted:
        condition |= has_code(field, code)
    return condition


def _exploitation(unit: Unit, year: int) -> dict[str, Expression]:
    field = f"{unit.victim}exploitation_types"
    other_codes = tuple(
        code for code in codes("exploitation_type") if code not in SEXUAL_CODES + LABOUR_CODES
    )
    known = Q(**{f"{field}__contains": " +"})  # any code recorded as present
    return {
        "sexual": _flag([(_any_code(field, SEXUAL_CODES), "yes")], "no", "yes"),
        "labour": _flag([(_any_code(field, LABOUR_CODES), "yes")], "no", "yes"),
        "other": _flag([(_any_code(field, other_codes), "yes")], "no", "yes"),
        "unknown": _flag([(known, "no")], "yes", "yes"),
    }


def _nationality(unit: Unit, year: int) -> dict[str, Expression]:
    citizenship = f"{unit.person}citizenship"
    whens = [
        (Q(**{f"{citizenship}__isnull": True}), "unknown"),
        (Q(**{f"{citizenship}_id": F(unit.country)}), "national"),
        (Q(**{f"{citizenship}__is_member": True}), "member_state"),
    ]
    return _exclusive(whens, "other", "nationality")


BANDS: dict[str, Callable[[Unit, int], dict[str, Expression]]] = {
    "sex": _sex,
    "age_group": _age_group,
    "exploitation": _exploitation,
    "nationality": _nationality,
}

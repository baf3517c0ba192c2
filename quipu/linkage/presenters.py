"""What a focal point reads on a notice: their own record, the other owner, and in words
which components agreed. Never a value of the other record."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from quipu.cases.models import Perpetrator, Victim
from quipu.cases.vocabulary import label
from quipu.linkage.models import MatchNoticeSide, PersonEncoding


@dataclass(frozen=True)
class OwnRecord:
    case_id: int | None
    case_reference: str
    role: str


def own_records(sides: list[MatchNoticeSide]) -> dict[int, OwnRecord]:
    """For the user's own sides: the case and role of the record each encoding stands for."""
    person_of = dict(
        PersonEncoding.objects.filter(pk__in=[s.encoding_id for s in sides]).values_list(
            "pk", "person_id"
        )
    )
    cases: dict[int, OwnRecord] = {}
    for model, role in ((Victim, _("Victim")), (Perpetrator, _("Perpetrator"))):
        rows = model.objects.filter(person_id__in=person_of.values()).values_list(
            "person_id", "case_id", "case__reference"
        )
        for person_id, case_id, reference in rows:
            cases.setdefault(person_id, OwnRecord(case_id, reference, role))
    missing = OwnRecord(None, _("(record no longer in the database)"), "")
    return {side.pk: cases.get(person_of.get(side.encoding_id), missing) for side in sides}


def agreement_lines(components: dict) -> list[str]:
    """Which parts of the two records agreed, in words: e.g. "names and date of birth
    (encoded): similarity 0.93", "year of birth: equal", "shared phone token"."""
    lines = []
    if "name_dob_dice" in components:
        lines.append(
            _("Names and date of birth (encoded): similarity %(score)s")
            % {"score": f"{components['name_dob_dice']:.2f}"}
        )
    year = {
        "equal": _("Year of birth: equal"),
        "close": _("Year of birth: one year apart"),
        "different": _("Year of birth: different"),
        "unknown": _("Year of birth: not recorded on one side"),
    }
    if components.get("birth_year") in year:
        lines.append(year[components["birth_year"]])
    sex = {
        "equal": _("Sex: equal"),
        "different": _("Sex: different"),
        "unknown": _("Sex: not recorded on one side"),
    }
    if components.get("sex") in sex:
        lines.append(sex[components["sex"]])
    if kind := components.get("token"):
        lines.append(
            _("Identifier token equal: %(kind)s") % {"kind": label("identifier_kind", kind)}
        )
    return lines

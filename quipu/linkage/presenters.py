"""What a focal point reads on a notice: their own record, the other owner, and the coarse
band of the evidence that agreed. Never a value of the other record, except what both sides
agreed to reveal once the link stands (review.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from quipu.cases.models import Perpetrator, Victim
from quipu.cases.vocabulary import label
from quipu.linkage.evidence import Band
from quipu.linkage.models import MatchNotice, MatchNoticeSide, PersonEncoding
from quipu.linkage.review import notice_revealed


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


def evidence_line(notice: MatchNotice) -> str:
    """The band of the evidence that agreed, in words; never a score or a disagreement."""
    return str(Band(notice.band).label) if notice.band in Band.values else ""


def band_short(band: str) -> str:
    """The band in one word or two, for a group's line in the queue."""
    labels = {
        Band.STRONG: _("Strong"),
        Band.NAME: _("Probable"),
        Band.IDENTIFIER: _("Identifier hit"),
    }
    return str(labels.get(band, ""))


def revealed(side: MatchNoticeSide) -> dict | None:
    """What both sides agreed to show each other once the link stands: the other side's case
    reference and the kind of the shared identifier; None until then."""
    if not notice_revealed(side):
        return None
    other = next(each for each in side.notice.sides.all() if each.pk != side.pk)
    other_record = own_records([other])[other.pk]
    kind = side.notice.identifier_kind
    return {
        "case_reference": other_record.case_reference if other_record.case_id else "",
        "identifier_kind": label("identifier_kind", kind) if kind else "",
    }

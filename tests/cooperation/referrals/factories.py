"""Victims of another nationality and referrals of them, through the real writer and services."""

from datetime import date

from quipu.cases.models import Victim
from quipu.cooperation.referrals.models import Referral
from quipu.cooperation.referrals.services import referral_open
from quipu.intake.records import CaseRecord, PersonRecord
from quipu.intake.writer import records_write
from quipu.tenancy.models import Institution, User

FIRST, SURNAME, BORN = "Yusmary", "Carrasquero Briceño", date(1998, 7, 14)


def foreign_victim(
    owner: str = "CO-POLICE",
    citizenship: str = "VE",
    *,
    consent: bool | None = None,
    share: bool = False,
    first: str = FIRST,
    key: str = "",
) -> Victim:
    """A case of `owner` with one victim of `citizenship`; `consent` None records no consent."""
    reference = f"{owner}-REF-{key or 'main'}"
    consent_row = (
        None if consent is None else {"consent": consent, "share_with_home_country": share}
    )
    record = CaseRecord(
        row=1,
        source_key=f"test:referrals:{owner}:{key or 'main'}",
        case={"reference": reference, "kind": "TIP", "status": "Active"},
        people=[
            PersonRecord(
                person={
                    "first_name": first,
                    "second_name": SURNAME,
                    "gender": "Feminine",
                    "birthdate": BORN,
                    "citizenship_id": citizenship,
                },
                victim={"age_group": "24--26"},
                consent=consent_row,
            )
        ],
    )
    institution = Institution.objects.get(code=owner)
    records_write(owner=institution, records=[record])
    return Victim.objects.get(case__owner=institution, case__reference=reference)


def referral_sent(victim: Victim | None = None, *, by: str = "caseworker.co", **fields) -> Referral:
    victim = victim or foreign_victim()
    values = {
        "assistance": ["documentation", "shelter"],
        "assistance_details": "Necesita pasaporte; duerme en terminal de Cúcuta",
        "urgency": "urgent",
        "contact_name": "Oficial de enlace",
        "contact_email": "enlace@policia.example",
        **fields,
    }
    return referral_open(actor=User.objects.get(username=by), victim=victim, **values)

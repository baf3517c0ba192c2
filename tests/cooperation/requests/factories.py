"""Requests between Peru (requesting) and Colombia (owner), through the real services, and an
owner case rich enough to show what a grant must not let through."""

from datetime import date, timedelta

from django.utils import timezone

from quipu.cases.fields import CodeSet
from quipu.cases.models import Case
from quipu.cooperation.requests.services import (
    information_request_open,
    information_request_transition,
)
from quipu.intake.records import CaseRecord, PersonRecord
from quipu.intake.writer import records_write
from quipu.tenancy.models import Institution, User

REQUESTER = "prosecutor.pe"
OWNER_FOCAL = "focal.co"

# The owner's values, each in one category only (what the rule-1 test looks for).
FIRST, SURNAME, BORN = "Wendolyn", "Quintero Arboleda", date(1997, 3, 9)
PASSPORT = "PA4471902"
PHONE = "+573001234567"
CITY = "Buenaventura"
STREET = "Calle 7 # 12-40"
VULNERABILITY = "Deuda con el reclutador en Tumaco"
STEP_NOTE = "Audiencia reservada en Cali"
STATUS_MARK = "StatusXQ7"  # a trafficking status no vocabulary holds, so pages cannot show it
VALUES_BY_CATEGORY = {
    "identity": [FIRST, SURNAME, "1997-03-09"],
    "identifiers": [PASSPORT, PHONE],
    "route": [CITY],
    "exploitation": [STATUS_MARK],
    "proceedings": ["2025-02-11"],
}
NEVER_GRANTED = [STREET, VULNERABILITY, STEP_NOTE]


def user(username: str) -> User:
    return User.objects.get(username=username)


def owner_case(owner: str = "CO-POLICE", key: str = "main") -> Case:
    record = CaseRecord(
        row=1,
        source_key=f"test:requests:{owner}:{key}",
        case={"reference": f"{owner}-REQ-{key}", "kind": "TIP", "status": "Active"},
        people=[
            PersonRecord(
                person={
                    "first_name": FIRST,
                    "second_name": SURNAME,
                    "birthdate": BORN,
                    "gender": "Feminine",
                    "citizenship_id": owner[:2],
                },
                victim={
                    "age_group": "24--26",
                    "trafficking_status": STATUS_MARK,
                    "exploitation_types": CodeSet.of({"ForcedLabour"}),
                    "vulnerability_details": VULNERABILITY,
                },
                identifiers=[
                    {"kind": "passport", "value": PASSPORT},
                    {"kind": "phone", "value": PHONE},
                ],
                route_events=[
                    {
                        "event_type": "Exploitation",
                        "country_id": owner[:2],
                        "city": CITY,
                        "street": STREET,
                    }
                ],
            )
        ],
        prosecution_steps=[
            {"stage": "Investigation", "date": date(2025, 2, 11), "notes": STEP_NOTE}
        ],
    )
    institution = Institution.objects.get(code=owner)
    records_write(owner=institution, records=[record])
    return Case.objects.get(owner=institution, reference=f"{owner}-REQ-{key}")


def request_sent(*, by: str = REQUESTER, to: str = "CO", categories=None, **fields):
    values = {
        "receiving_country": to,
        "legal_basis": "prosecutors",
        "purpose": "Investigación por trata laboral, carpeta 2025-114",
        "categories": categories or ["identity", "route"],
        "urgency": "urgent",
        "due_on": timezone.localdate() + timedelta(days=14),
        **fields,
    }
    return information_request_open(actor=user(by), **values)


def request_granted(*, categories=("identity", "route"), granted=None, case=None, days=90):
    """A request answered by Colombia's focal point with a grant of `case`."""
    case = case or owner_case()
    found = request_sent(categories=list(categories))
    action = "approve" if granted is None else "approve_part"
    information_request_transition(
        actor=user(OWNER_FOCAL),
        information_request=found,
        action=action,
        categories=list(granted or categories),
        cases=[case],
        expires_on=timezone.localdate() + timedelta(days=days),
    )
    found.refresh_from_db()
    return found


def linked_notice(owner_case_row: Case, requester: str = "PE"):
    """A confirmed cross-border link between the sample case of `requester` and the victim of
    `owner_case_row` (encodings as rows only: the review, not the matcher, is tested here)."""
    from quipu.linkage.models import LinkRun, MatchNotice, PersonEncoding

    def encoding(case: Case) -> PersonEncoding:
        person_id = case.victims.get().person_id
        return PersonEncoding.objects.get_or_create(
            person_id=person_id,
            defaults={
                "owner_country": case.owner.country_id,
                "owner_institution_id": case.owner_id,
                "role": "victim",
                "clk": b"\x00",
                "key_id": "test",
                "schema_id": "test",
            },
        )[0]

    own = encoding(Case.objects.get(reference=f"{requester}-TEST-1"))
    other = encoding(owner_case_row)
    low, high = sorted([own, other], key=lambda e: e.pk)
    run = LinkRun.objects.get_or_create(kind="full", key_id="requests-test")[0]
    notice = MatchNotice.objects.create(
        encoding_low=low.pk,
        encoding_high=high.pk,
        match_probability=0.98,
        status=MatchNotice.Status.LINKED,
        first_run=run,
        last_run=run,
    )
    for row in (own, other):
        notice.sides.create(
            encoding_id=row.pk, institution_id=row.owner_institution_id, decision="confirmed"
        )
    return notice

"""A small set of cases, written through the real writer, whose counts are worked out by hand.

Colombia (owner CO-POLICE) and Argentina in 2023; the neighbouring years hold the cases that
must not be counted. The comments give each person's categories; test_measures.py adds them up.
"""

from datetime import date

import pytest

from quipu.cases.fields import CodeSet
from quipu.cases.models import SupportPlan, Victim
from quipu.intake.records import CaseRecord, PersonRecord
from quipu.intake.writer import records_write


def victim(
    key: str,
    *,
    gender: str = "",
    citizenship: str | None = None,
    birthdate: date | None = None,
    age_group: str = "",
    majority: str = "",
    forms: tuple[str, ...] = (),
    status: str = "",
) -> PersonRecord:
    return PersonRecord(
        person={
            "first_name": key,
            "gender": gender,
            "citizenship_id": citizenship,
            "birthdate": birthdate,
        },
        victim={
            "age_group": age_group,
            "majority_status": majority,
            "exploitation_types": CodeSet.of(forms),
            "trafficking_status": status,
        },
    )


def perpetrator(
    key: str, *, gender: str = "", citizenship: str | None = None, birthdate=None
) -> PersonRecord:
    return PersonRecord(
        person={
            "first_name": key,
            "gender": gender,
            "citizenship_id": citizenship,
            "birthdate": birthdate,
        },
        perpetrator={"roles": CodeSet.of({"Exploiter"})},
    )


def case(reference: str, people: list, *, kind="TIP", year=None, on=None, steps=(), **fields):
    return CaseRecord(
        row=1,
        source_key=f"stats:{reference}",
        case={
            "reference": reference,
            "kind": kind,
            "registration_year": year,
            "registered_on": on,
            **fields,
        },
        people=people,
        prosecution_steps=[{"stage": stage, "date": day} for stage, day in steps],
    )


def colombia() -> list[CaseRecord]:
    return [
        case(
            "C1",
            [
                victim(
                    "V1",
                    gender="Feminine",
                    citizenship="CO",
                    age_group="9--17",
                    forms=("SexualExploitation",),
                ),  # fmt: skip
                victim(
                    "V2",
                    gender="Masculine",
                    citizenship="VE",
                    age_group="30--38",
                    forms=("ForcedLabour",),
                ),  # fmt: skip
                victim("V11", gender="Feminine"),  # nothing else known
                perpetrator("P1", gender="Masculine", citizenship="CO", birthdate=date(1980, 1, 1)),
                perpetrator("P2", gender="Feminine", citizenship="PE"),
                perpetrator("P3b", gender="Masculine", citizenship="CO"),
            ],
            year=2023,
            steps=[("investigation", date(2022, 11, 1)), ("charge", date(2023, 3, 1))],
            # A consular referral on the first day of the next year: counted in 2024.
            referred_organisation="Consulado de Venezuela en Bogotá",
            outgoing_referral_date=date(2024, 1, 1),
        ),
        case(
            "C2",  # no year recorded: its registration date, the last day of 2023, decides
            [
                victim("V3", citizenship="US", majority="Minor", forms=("SexAndLabour",)),
                perpetrator("P3", gender="Masculine", birthdate=date(2006, 1, 1)),
            ],
            on=date(2023, 12, 31),
            steps=[("conviction", date(2023, 6, 1))],
        ),
        case(
            "C3",  # registered on the first day of 2024; its steps fall just outside 2023
            [
                victim(
                    "V4",
                    gender="Feminine",
                    citizenship="CO",
                    age_group="24--26",
                    forms=("ForcedLabour",),
                ),  # fmt: skip
                perpetrator("P4", gender="Masculine", citizenship="CO"),
            ],
            on=date(2024, 1, 1),
            steps=[("charge", date(2022, 12, 31)), ("trial", date(2024, 1, 1))],
        ),
        case(
            "C4",  # registered in 2022, tried and convicted in 2023
            [
                victim("V5", gender="Feminine", citizenship="CO", age_group="18--20"),
                perpetrator("P5", gender="Masculine", citizenship="BR"),
                perpetrator("P6", gender="TransgenderFeminine", citizenship="AR"),
            ],
            year=2022,
            steps=[("trial", date(2023, 5, 5)), ("conviction", date(2023, 12, 31))],
        ),
        case(
            "C5",
            [
                victim(
                    "V6",
                    gender="Feminine",
                    citizenship="CO",
                    age_group="9--17",
                    status="NotAVictimOfTrafficking",
                ),  # fmt: skip
                # 17 on 31 December 2023: a child; V8 turns 18 that day: an adult.
                victim(
                    "V7",
                    gender="TransgenderFeminine",
                    citizenship="BR",
                    birthdate=date(2006, 6, 1),
                    forms=("ForcedMarriage", "SexualExploitation"),
                    status="PossibleVictimOfTrafficking",
                ),  # fmt: skip
                victim("V8", gender="Masculine", citizenship="AR", birthdate=date(2005, 12, 31)),
            ],
            year=2023,
            referred_organisation="Consulado de Brasil en Bogotá",
            outgoing_referral_date=date(2023, 8, 1),
        ),
        case(
            "C6",
            [
                victim("V9", gender="Masculine", citizenship="VE", age_group="24--26"),
                victim("V10", gender="Feminine", citizenship="VE", age_group="27--29"),
                perpetrator("P7", gender="Masculine", citizenship="CO"),
            ],
            kind="SOM",
            year=2023,
        ),
        case(
            "C7",  # a smuggling case with no migrant recorded, charged in 2023
            [perpetrator("P8", gender="Masculine", citizenship="CO")],
            kind="SOM",
            year=2023,
            steps=[("charge", date(2023, 4, 4))],
        ),
        case("C8", [victim("V13", gender="Masculine", citizenship="VE")], kind="SOM", year=2024),
    ]


def argentina_consulate() -> list[CaseRecord]:
    # Argentina's consulate in Bolivia refers its national to a ministry: a consular referral.
    return [
        case(
            "A1",
            [
                victim(
                    "VA1",
                    gender="Feminine",
                    citizenship="AR",
                    age_group="21--23",
                    forms=("ForcedLabour",),
                )
            ],  # fmt: skip
            year=2023,
            referred_organisation="Ministerio de Desarrollo Social",
            outgoing_referral_date=date(2023, 2, 2),
        )
    ]


def argentina_police() -> list[CaseRecord]:
    return [
        case(
            "A2",  # referred, undated, to another country's police by its name
            [victim("VA2", gender="Masculine", citizenship="PY", age_group="48+")],
            year=2023,
            referred_organisation="Policía Nacional del Paraguay",
        ),
        case(
            "A3",  # referred to its own country's ministry: not consular
            [victim("VA3", gender="Feminine", citizenship="AR", age_group="30--38")],
            year=2023,
            referred_organisation="Ministerio de Justicia y Derechos Humanos",
            outgoing_referral_date=date(2023, 9, 9),
        ),
    ]


@pytest.fixture
def stats_cases(region):
    """The cases above, with support plans added as case workers add them."""
    records_write(owner=region.institution("CO-POLICE"), records=colombia())
    records_write(owner=region.institution("AR-CONSULATE-BO"), records=argentina_consulate())
    records_write(owner=region.institution("AR-POLICE"), records=argentina_police())
    plans = {"V7": "Health", "V6": "Legal", "V4": "Legal"}  # V6 is no victim; V4 is of 2024
    for first_name, support_type in plans.items():
        found = Victim.objects.get(person__first_name=first_name)
        SupportPlan.objects.create(case=found.case, victim=found, support_type=support_type)
    a1 = Victim.objects.get(person__first_name="VA1").case
    SupportPlan.objects.create(case=a1, victim=None, support_type="SocialCare")  # case-wide
    return region

"""The Quipu CSV template: one row per case with one victim, in plain columns anyone can fill.

Each column is declared once here: its name, what it means (shown on the instructions page in
the reader's language) and how it is read. `case_reference` is the stable source key, so a
corrected file re-imported updates its cases.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from quipu.cases import validation
from quipu.cases.fields import CodeSet
from quipu.cases.vocabulary import terms_by_vocabulary
from quipu.intake.formats.cells import RowCells
from quipu.intake.records import CaseRecord, PersonRecord
from quipu.tenancy.countries import country_codes

LAYOUT = "quipu_v1"
SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    help: str  # lazy translation
    vocabulary: str = ""
    required: bool = False
    example: str = ""


COLUMNS = [
    Column(
        "case_reference",
        _("Your own unique reference for the case."),
        required=True,
        example="CO-2025-0001",
    ),
    Column(
        "case_type",
        _("TIP (trafficking in persons) or SOM (smuggling of migrants)."),
        "case_kind",
        required=True,
        example="TIP",
    ),
    Column("case_status", _("Case status."), "case_status", example="Active"),
    Column(
        "registration_date", _("Date the case was registered, YYYY-MM-DD."), example="2025-03-14"
    ),
    Column("victim_first_name", _("Victim's first name(s)."), example="María José"),
    Column(
        "victim_surnames", _("Victim's surname(s), paternal then maternal."), example="Cruz Pérez"
    ),
    Column("victim_birthdate", _("Victim's date of birth, YYYY-MM-DD."), example="2001-07-30"),
    Column("victim_gender", _("Victim's gender."), "gender", example="Feminine"),
    Column(
        "victim_citizenship", _("Victim's citizenship: ISO 3166 two-letter code."), example="VE"
    ),
    Column("victim_age_when_trafficked", _("Age when trafficked, in years."), example="22"),
    Column(
        "trafficking_status",
        _("Whether the person is a possible or an actual victim."),
        "trafficking_status",
        example="ActualVictimOfTrafficking",
    ),
    Column(
        "exploitation_types",
        _("Forms of exploitation, codes separated by ;"),
        "exploitation_type",
        example="SexualExploitation",
    ),
    Column(
        "control_methods",
        _("Methods of control, codes separated by ;"),
        "control_method",
        example="DebtBondage;WithholdsDocuments",
    ),
    Column(
        "recruitment_methods",
        _("Methods of recruitment, codes separated by ;"),
        "recruitment_method",
        example="ThroughOnlineSocialNetworks",
    ),
    Column(
        "vulnerabilities",
        _("Vulnerabilities, codes separated by ;"),
        "vulnerability",
        example="Poverty;Migration",
    ),
    Column("recruitment_country", _("Country of recruitment (ISO code)."), example="VE"),
    Column("recruitment_city", _("City of recruitment."), example="Maracaibo"),
    Column(
        "recruitment_region", _("State, province or department of recruitment."), example="Zulia"
    ),
    Column("recruitment_date", _("Date of recruitment, YYYY-MM-DD."), example="2024-11-02"),
    Column("transit_country", _("Country of transit (ISO code)."), example="CO"),
    Column("transit_city", _("City of transit."), example="Cúcuta"),
    Column(
        "transit_region",
        _("State, province or department of transit."),
        example="Norte de Santander",
    ),
    Column("transit_date", _("Date of transit, YYYY-MM-DD."), example="2024-11-10"),
    Column("exploitation_country", _("Country of exploitation (ISO code)."), example="PE"),
    Column("exploitation_city", _("City of exploitation."), example="Lima"),
    Column(
        "exploitation_region", _("State, province or department of exploitation."), example="Lima"
    ),
    Column("exploitation_date", _("Date exploitation began, YYYY-MM-DD."), example="2024-12-01"),
    Column("phone", _("Victim's phone, in international format."), example="+58 412 555 0147"),
    Column("email", _("Victim's e-mail address."), example=""),
    Column("document_type", _("Type of identity document."), "document_type", example="passport"),
    Column("document_number", _("Number of the identity document."), example="V-12.345.678"),
    Column("document_country", _("Country that issued the document (ISO code)."), example="VE"),
    Column(
        "consent",
        _("The victim consents to the management of their data: yes or no."),
        example="yes",
    ),
    Column(
        "consent_share_home_country",
        _("The victim consents to sharing with their country of citizenship: yes or no."),
        example="no",
    ),
    Column("perpetrator_first_name", _("A perpetrator's first name(s)."), example=""),
    Column("perpetrator_surnames", _("A perpetrator's surname(s)."), example=""),
    Column(
        "perpetrator_roles",
        _("The perpetrator's roles, codes separated by ;"),
        "perpetrator_role",
        example="",
    ),
    Column("prosecution_stage", _("Latest prosecution stage."), "prosecution_stage", example=""),
    Column("prosecution_date", _("Date of that stage, YYYY-MM-DD."), example=""),
]
NAMES = [c.name for c in COLUMNS]
BY_NAME = {c.name: c for c in COLUMNS}
YES, NO = {"yes", "si", "sí", "sim", "1", "true"}, {"no", "não", "nao", "0", "false", ""}


def detect(header: list[str]) -> str | None:
    cleaned = {h.strip().lower() for h in header}
    return LAYOUT if {"case_reference", "case_type"} <= cleaned else None


def header_columns(header: list[str], layout: str) -> list[str]:
    return [h.strip().lower() for h in header]


class _Row(RowCells):
    def text(self, name: str) -> str:
        value = super().text(name)
        if not value and BY_NAME[name].required:
            self.fail(name, _("This column is required."))
        return value

    def code(self, name: str) -> str:
        value = self.text(name)
        if value and value not in terms_by_vocabulary()[BY_NAME[name].vocabulary]:
            self.fail(name, _("Not a code of this list; see the template's instructions."))
            return ""
        return value

    def codes(self, name: str) -> CodeSet:
        known = terms_by_vocabulary()[BY_NAME[name].vocabulary]
        chosen = {c.strip() for c in self.text(name).split(SEPARATOR) if c.strip()}
        if chosen - set(known):
            self.fail(name, _("Not a code of this list; see the template's instructions."))
        return CodeSet.of(chosen & set(known))

    def country(self, name: str) -> str | None:
        value = self.text(name).upper()
        if value and value not in country_codes():
            self.fail(name, _("Not a valid ISO 3166 country code."))
            return None
        return value or None

    def number(self, name: str) -> int | None:
        value = self.text(name)
        if not value:
            return None
        if not (value.isascii() and value.isdigit()):  # "²".isdigit() is true
            self.fail(name, _("Not a whole number."))
            return None
        return int(value)

    def yes_no(self, name: str) -> bool:
        value = self.text(name).lower()
        if value not in YES | NO:
            self.fail(name, _("Write yes or no."))
        return value in YES


def parse_row(values: dict[str, str], *, row: int, layout: str):
    cells = _Row(values, row)
    reference = cells.text("case_reference")
    birthdate = cells.date("victim_birthdate")
    cells.check("victim_birthdate", validation.birthdate_check, birthdate)
    age = cells.number("victim_age_when_trafficked")
    cells.check("victim_age_when_trafficked", validation.age_check, age)
    victim = PersonRecord(
        person={
            "first_name": cells.text("victim_first_name"),
            "second_name": cells.text("victim_surnames"),
            "birthdate": birthdate,
            "gender": cells.code("victim_gender"),
            "citizenship_id": cells.country("victim_citizenship"),
        },
        victim={
            "age_when_trafficked": age,
            "trafficking_status": cells.code("trafficking_status"),
            "exploitation_types": cells.codes("exploitation_types"),
            "control_methods": cells.codes("control_methods"),
            "recruitment_methods": cells.codes("recruitment_methods"),
            "vulnerabilities": cells.codes("vulnerabilities"),
            "agreement_to_manage_data": cells.yes_no("consent"),
        },
        consent={
            "consent": cells.yes_no("consent"),
            "share_with_home_country": cells.yes_no("consent_share_home_country"),
        },
    )
    victim.route_events = _route(cells)
    victim.identifiers = _identifiers(cells, victim.person["citizenship_id"])
    people = [victim]
    if cells.text("perpetrator_first_name") or cells.text("perpetrator_surnames"):
        people.append(
            PersonRecord(
                person={
                    "first_name": cells.text("perpetrator_first_name"),
                    "second_name": cells.text("perpetrator_surnames"),
                },
                perpetrator={"roles": cells.codes("perpetrator_roles")},
            )
        )
    steps = []
    if stage := cells.code("prosecution_stage"):
        date = cells.date("prosecution_date")
        if date is None:
            cells.fail("prosecution_date", _("A prosecution stage needs its date."))
        steps.append({"stage": stage, "date": date})
    registered_on = cells.date("registration_date")
    record = CaseRecord(
        row=row,
        source_key=f"quipu:{reference}"[:80],
        case={
            "reference": reference[:40],
            "kind": cells.code("case_type") or "TIP",
            "status": cells.code("case_status") or "Active",
            "registered_on": registered_on,
            "registration_year": registered_on.year if registered_on else None,
        },
        people=people,
        prosecution_steps=steps,
    )
    return (None if cells.errors else record), cells.errors


def _route(cells: _Row) -> list[dict]:
    events = []
    for event_type, prefix in (
        ("Recruitment", "recruitment"),
        ("Transit", "transit"),
        ("Exploitation", "exploitation"),
    ):
        country = cells.country(f"{prefix}_country")
        city, region = cells.text(f"{prefix}_city"), cells.text(f"{prefix}_region")
        date = cells.date(f"{prefix}_date")
        if country or city or region or date:
            event = {"event_type": event_type, "country_id": country, "city": city, "date": date}
            events.append({**event, "state": region} if region else event)
    cells.check(
        "exploitation_date",
        validation.route_order_check,
        [(e["event_type"], e["date"]) for e in events],
    )
    return events


def _identifiers(cells: _Row, citizenship: str | None) -> list[dict]:
    found = []
    if phone := cells.text("phone"):
        value = cells.check("phone", validation.phone_e164, phone, region=citizenship)
        if value:
            found.append({"kind": "phone", "value": value})
    if email := cells.text("email"):
        value = cells.check("email", validation.email_normalised, email)
        if value:
            found.append({"kind": "email", "value": value})
    if number := cells.text("document_number"):
        issuer = cells.country("document_country")
        if issuer is None:
            cells.fail("document_country", _("A document number needs its issuing country."))
        value = cells.check("document_number", validation.document_normalised, number)
        if value:
            found.append(
                {
                    "kind": "document",
                    "value": value,
                    "issuing_country_id": issuer,
                    "document_type": cells.code("document_type"),
                }
            )
    return found


def export_header(layout: str = LAYOUT) -> list[str]:
    return list(NAMES)


def export_row(record: CaseRecord, layout: str = LAYOUT) -> dict[str, str]:
    """One case as a template row (its first victim and first perpetrator): re-importable."""
    row = dict.fromkeys(NAMES, "")
    case = record.case
    row.update(
        case_reference=case.get("reference", ""),
        case_type=case.get("kind", ""),
        case_status=case.get("status", ""),
        registration_date=_iso(case.get("registered_on")),
    )
    victim = next(iter(record.victims), None)
    if victim is not None:
        _victim_cells(row, victim)
    perpetrator = next((p for p in record.people if p.perpetrator is not None), None)
    if perpetrator is not None:
        row["perpetrator_first_name"] = perpetrator.person.get("first_name", "")
        row["perpetrator_surnames"] = perpetrator.person.get("second_name", "")
        row["perpetrator_roles"] = _codes(perpetrator.perpetrator.get("roles"))
    if record.prosecution_steps:
        latest = record.prosecution_steps[-1]
        row["prosecution_stage"], row["prosecution_date"] = latest["stage"], _iso(latest["date"])
    return row


def _victim_cells(row: dict, victim: PersonRecord) -> None:
    person, context, consent = victim.person, victim.victim, victim.consent or {}
    row.update(
        victim_first_name=person.get("first_name", ""),
        victim_surnames=person.get("second_name", ""),
        victim_birthdate=_iso(person.get("birthdate")),
        victim_gender=person.get("gender", ""),
        victim_citizenship=person.get("citizenship_id") or "",
        victim_age_when_trafficked=_text(context.get("age_when_trafficked")),
        trafficking_status=context.get("trafficking_status", ""),
        exploitation_types=_codes(context.get("exploitation_types")),
        control_methods=_codes(context.get("control_methods")),
        recruitment_methods=_codes(context.get("recruitment_methods")),
        vulnerabilities=_codes(context.get("vulnerabilities")),
        consent="yes" if consent.get("consent") else "no",
        consent_share_home_country="yes" if consent.get("share_with_home_country") else "no",
    )
    for event in victim.route_events:
        prefix = event["event_type"].lower()
        if f"{prefix}_country" in row:
            row[f"{prefix}_country"] = event.get("country_id") or ""
            row[f"{prefix}_city"] = event.get("city", "")
            row[f"{prefix}_region"] = event.get("state", "")
            row[f"{prefix}_date"] = _iso(event.get("date"))
    for identifier in victim.identifiers:
        if identifier["kind"] in ("phone", "email"):
            row[identifier["kind"]] = identifier.get("value", "")
        elif identifier["kind"] == "document":
            row["document_number"] = identifier.get("value", "")
            row["document_type"] = identifier.get("document_type", "")
            row["document_country"] = identifier.get("issuing_country_id") or ""


def _codes(codes: CodeSet | None) -> str:
    return SEPARATOR.join(sorted(codes.present)) if codes else ""


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _text(value) -> str:
    return "" if value is None else str(value)

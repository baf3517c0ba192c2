"""IOM's HTCDS 2.0 Excel templates (Toolkit/Excel): one row per victim, core fields only.

The three official templates share one case sheet. Its first row, hidden, holds HTCDS field
names and its second the labels users see; data starts on the third. Files whose hidden row
was deleted, so that the labels are the header, are read too. Picklist cells hold labels
("Debt bondage "), not codes, and several values share a cell separated by ";".

The templates have no case number of their own, so a case is identified by a keyed hash of
who the victim is (names, birthdate, citizenship) and when the referral came in: re-importing
a file changes nothing, and correcting any other cell updates the case in place. The key is
an HMAC with the installation's secret, so a reference cannot be checked against a guessed
name. Case workers' names and salutations are not kept (data minimisation).
"""

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from quipu.cases import validation
from quipu.cases.fields import CodeSet
from quipu.cases.vocabulary import code_for
from quipu.intake.formats.cells import RowCells
from quipu.intake.records import CaseRecord, PersonRecord
from quipu.tenancy.countries import country_for

FIELD_NAMES = "htcds_v2_fields"  # header is the hidden row of field names
LABELS = "htcds_v2_labels"  # header is the row of visible labels
SEPARATOR = ";"
ROW_NUMBER = "row_number"  # the template's first column numbers its rows

# HTCDS field name -> the label the templates show, in the templates' visible order.
FIELDS = {
    "cas_CaseOwner": "Case Owner",
    "prs_Salutation": "Salutation",
    "prs_FirstName": "First Name",
    "prs_SecondName": "Second Name",
    "con_Consent": "Consent",
    "prs_Birthdate": "Birthdate",
    "prs_Gender": "Gender",
    "prs_Citizenship": "Citizenship",
    "prs_Title": "Title",
    "prs_Email": "Email",
    "prs_HomePhone": "Home Phone",
    "prs_MobilePhone": "Mobile Phone",
    "prs_MailingStreet": "Mailing Street",
    "prs_MailingCity": "Mailing City",
    "prs_MailingState": "Mailing State/Province",
    "prs_MailingPostalCode": "Mailing Zip/Postal Code",
    "prs_MailingCountry": "Mailing Country",
    "vic_TraffickingStatus": "Trafficking Status",
    "vic_TraffickingStatusDecisionMakingOrg": "Trafficking Status Decision Making Organization",
    "vic_MethodOfRecruitment": "Method of Recruitment",
    "vic_LocationOfRecruitment": "Location of Recruitment",
    "vic_MethodsOfControl": "Methods of Control",
    "vic_TypeOfExploitation": "Type of Exploitation",
    "vic_ForcedLabourIndustry": "Forced Labour Industry",
    "vic_TypeOfSexExploitation": "Type of Sex Exploitation",
    "vic_LocationOfExploitation": "Location of Exploitation",
    "cas_Status": "Status",
    "cas_ReferringOrganisation": "Referring Organisation",
    "cas_IncomingReferralDate": "Incoming Referral Date",
    "cas_ReferringPrimaryCaseWorker": "Referring Primary Case Worker",
    "cas_ReasonForIncomingReferral": "Reason for Incoming Referral",
    "cas_IncomingReferralDetails": "Incoming Referral Details",
    "cas_ReferredOrganisation": "Referred Organisation",
    "cas_ReferredPrimaryCaseWorker": "Referred Primary Case Worker",
    "cas_ReasonForOutgoingReferral": "Reason for Outgoing Referral",
    "cas_OutgoingReferralDate": "Outgoing Referral Date",
    "cas_OutgoingReferralDetails": "Outgoing Referral Details",
    "cas_ReasonForCaseClosure": "Reason for Case Closure",
}
_FIELD_BY_LABEL = {label.casefold(): name for name, label in FIELDS.items()}
# Spellings of the official templates' hidden row, mapped to the standard's field names.
_ALIASES = {"vic_TraffickinStatusDecisionMakingOrg": "vic_TraffickingStatusDecisionMakingOrg"}
# The official templates' hidden row lists the mailing fields out of order and leaves the
# outgoing-referral reason blank; users type under the visible labels, which are right.
_TEMPLATE_HIDDEN_ROW = [
    "",
    "cas_CaseOwner",
    "prs_Salutation",
    "prs_FirstName",
    "prs_SecondName",
    "con_Consent",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_Title",
    "prs_Email",
    "prs_HomePhone",
    "prs_MobilePhone",
    "prs_MailingCity",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingStreet",
    "prs_MailingPostalCode",
    *list(FIELDS)[17:34],
    "",
    *list(FIELDS)[35:],
]
_SIGNATURE = {"prs_FirstName", "vic_TypeOfExploitation", "vic_TraffickingStatus", "cas_Status"}

VOCABULARIES = {
    "prs_Gender": "gender",
    "vic_TraffickingStatus": "trafficking_status",
    "vic_TraffickingStatusDecisionMakingOrg": "status_decision_org",
    "cas_Status": "case_status",
    "cas_ReasonForIncomingReferral": "referral_reason",
    "cas_ReasonForOutgoingReferral": "referral_reason",
}
MULTI_VOCABULARIES = {
    "vic_MethodOfRecruitment": "recruitment_method",
    "vic_MethodsOfControl": "control_method",
    "vic_TypeOfExploitation": "exploitation_type",
    "vic_ForcedLabourIndustry": "labour_industry",
    "vic_TypeOfSexExploitation": "sex_exploitation_type",
}
YES = {"yes", "y", "si", "sí", "sim", "true", "1", "x"}
NO = {"no", "n", "não", "nao", "false", "0", ""}
NOT_IN_LIST = _("Not a value of this list; see the template's validation sheet.")
NOT_A_COUNTRY = _("Not a country: write its name or its ISO 3166 code.")


def detect(header: list[str]) -> str | None:
    names = {_ALIASES.get(h.strip(), h.strip()) for h in header}
    if _SIGNATURE.issubset(names):
        return FIELD_NAMES
    labels = {h.strip().casefold() for h in header}
    if {FIELDS[name].casefold() for name in _SIGNATURE} <= labels:
        return LABELS
    return None


def header_columns(header: list[str], layout: str) -> list[str]:
    cells = [h.strip() for h in header]
    if layout == LABELS:
        names = [_FIELD_BY_LABEL.get(c.casefold(), c) for c in cells]
    else:
        names = [_ALIASES.get(c, c) for c in cells]
        used = len(names) - next((i for i, n in enumerate(reversed(names)) if n), len(names))
        if names[:used] == _TEMPLATE_HIDDEN_ROW:
            return [ROW_NUMBER, *FIELDS, *names[used:]]
    if names and not names[0]:
        names[0] = ROW_NUMBER
    return names


class _Row(RowCells):
    """One row's cells; errors name the column by its visible label."""

    def column_label(self, name: str) -> str:
        return FIELDS.get(name, name)

    def code(self, name: str) -> str:
        value = self.text(name)
        if not value:
            return ""
        code = code_for(VOCABULARIES[name], value)
        if code is None:
            self.fail(name, NOT_IN_LIST)
            return ""
        return code

    def codes(self, name: str) -> CodeSet:
        chosen = set()
        for part in filter(None, (p.strip() for p in self.text(name).split(SEPARATOR))):
            code = code_for(MULTI_VOCABULARIES[name], part)
            if code is None:
                self.fail(name, NOT_IN_LIST)
            else:
                chosen.add(code)
        return CodeSet.of(chosen)

    def country(self, name: str) -> str | None:
        value = self.text(name)
        code = country_for(value)
        if value and code is None:
            self.fail(name, NOT_A_COUNTRY)
        return code

    def yes_no(self, name: str) -> bool:
        value = self.text(name).casefold()
        if value not in YES | NO:
            self.fail(name, _("Write yes or no."))
        return value in YES


def _is_label_row(values: dict[str, str]) -> bool:
    matches = sum(1 for name, label in FIELDS.items() if (values.get(name) or "").strip() == label)
    return matches >= len(_SIGNATURE)


def _is_blank(values: dict[str, str]) -> bool:
    return not any((v or "").strip() for k, v in values.items() if k != ROW_NUMBER)


def parse_row(values: dict[str, str], *, row: int, layout: str):
    if _is_blank(values) or _is_label_row(values):
        return None, []  # the template's numbered empty rows, and its row of labels
    cells = _Row(values, row)
    birthdate = cells.date("prs_Birthdate")
    cells.check("prs_Birthdate", validation.birthdate_check, birthdate)
    citizenship = cells.country("prs_Citizenship")
    mailing_country = cells.country("prs_MailingCountry")
    consent = cells.yes_no("con_Consent")
    victim = PersonRecord(
        person={
            "first_name": cells.text("prs_FirstName")[:100],
            "second_name": cells.text("prs_SecondName")[:150],
            "birthdate": birthdate,
            "gender": cells.code("prs_Gender"),
            "citizenship_id": citizenship,
            "mailing_street": cells.text("prs_MailingStreet")[:200],
            "mailing_city": cells.text("prs_MailingCity")[:100],
            "mailing_state": cells.text("prs_MailingState")[:100],
            "mailing_postal_code": cells.text("prs_MailingPostalCode")[:20],
            "mailing_country": mailing_country or "",
        },
        victim={
            "agreement_to_manage_data": consent,
            "trafficking_status": cells.code("vic_TraffickingStatus"),
            "status_decision_org": cells.code("vic_TraffickingStatusDecisionMakingOrg"),
            "recruitment_methods": cells.codes("vic_MethodOfRecruitment"),
            "control_methods": cells.codes("vic_MethodsOfControl"),
            "exploitation_types": cells.codes("vic_TypeOfExploitation"),
            "labour_industries": cells.codes("vic_ForcedLabourIndustry"),
            "sex_exploitation_types": cells.codes("vic_TypeOfSexExploitation"),
        },
        consent={"consent": consent, "share_with_home_country": False},
    )
    victim.route_events = [
        event
        for event in (
            _place(cells, "vic_LocationOfRecruitment", "Recruitment"),
            _place(cells, "vic_LocationOfExploitation", "Exploitation"),
        )
        if event
    ]
    victim.identifiers = _identifiers(cells, citizenship or mailing_country)
    incoming = cells.date("cas_IncomingReferralDate")
    key = _case_key(values)
    record = CaseRecord(
        row=row,
        source_key=f"htcds:{key[:40]}",
        case={
            "reference": f"HTCDS-{key[:12].upper()}",
            "kind": "TIP",
            "status": cells.code("cas_Status") or "Active",
            "referring_organisation": cells.text("cas_ReferringOrganisation")[:200],
            "incoming_referral_date": incoming,
            "incoming_referral_reason": cells.code("cas_ReasonForIncomingReferral"),
            "incoming_referral_details": cells.text("cas_IncomingReferralDetails"),
            "referred_organisation": cells.text("cas_ReferredOrganisation")[:200],
            "outgoing_referral_date": cells.date("cas_OutgoingReferralDate"),
            "outgoing_referral_reason": cells.code("cas_ReasonForOutgoingReferral"),
            "outgoing_referral_details": cells.text("cas_OutgoingReferralDetails"),
            "closure_reason": cells.text("cas_ReasonForCaseClosure"),
            "registration_year": incoming.year if incoming else None,
        },
        people=[victim],
    )
    return (None if cells.errors else record), cells.errors


def _place(cells: _Row, name: str, event_type: str) -> dict | None:
    """A free-text location: a country, or "City, Country", or a place with no country."""
    value = cells.text(name)
    if not value:
        return None
    country = country_for(value)
    city = ""
    if country is None:
        head, _comma, tail = value.rpartition(",")
        country = country_for(tail) if head else None
        city = head.strip() if country else value
    return {"event_type": event_type, "country_id": country, "city": city[:100], "date": None}


def _identifiers(cells: _Row, region: str | None) -> list[dict]:
    found = []
    for name in ("prs_MobilePhone", "prs_HomePhone"):
        if raw := cells.text(name):
            value = cells.check(name, validation.phone_e164, raw, region=region)
            if value and all(i["value"] != value for i in found):
                found.append({"kind": "phone", "value": value})
    if raw := cells.text("prs_Email"):
        value = cells.check("prs_Email", validation.email_normalised, raw)
        if value:
            found.append({"kind": "email", "value": value})
    return found


def _case_key(values: dict[str, str]) -> str:
    identity = [
        " ".join((values.get(name) or "").casefold().split())
        for name in ("prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_Citizenship")
    ]
    if not any(identity[:3]):  # an anonymous row is identified by all it says
        identity = [values.get(name) or "" for name in FIELDS]
    identity.append((values.get("cas_IncomingReferralDate") or "").strip()[:10])
    return salted_hmac("quipu.intake.htcds", "\x1f".join(identity), algorithm="sha256").hexdigest()

"""Which fields hold personal data: the one list that audit, exports, de-identification and the
API all use (DESIGN.md section 4, STYLE.md "a rule lives in one place")."""

from django.db.models import Model

from quipu.cases.models import (
    Case,
    Consent,
    Identifier,
    Perpetrator,
    Person,
    ProsecutionStep,
    RouteEvent,
    SupportPlan,
    Victim,
)

# Names, dates of birth, identifiers, contact details, exact places, and free text that may
# carry any of those.
PERSONAL_FIELDS: dict[type[Model], frozenset[str]] = {
    Person: frozenset(
        {
            "first_name",
            "middle_name",
            "second_name",
            "birthdate",
            "mailing_street",
            "mailing_city",
            "mailing_state",
            "mailing_postal_code",
        }
    ),
    Identifier: frozenset({"value"}),
    Victim: frozenset({"vulnerability_details"}),
    Perpetrator: frozenset({"role_details"}),
    RouteEvent: frozenset({"street", "postal_code", "latitude", "longitude", "description"}),
    Case: frozenset(
        {
            "closure_reason",
            "incoming_referral_details",
            "outgoing_referral_details",
        }
    ),
    SupportPlan: frozenset({"objectives", "action_plan"}),
    Consent: frozenset({"notes"}),
    ProsecutionStep: frozenset({"notes"}),
}


def personal_fields(model: type[Model]) -> frozenset[str]:
    return PERSONAL_FIELDS.get(model, frozenset())


def is_personal(model: type[Model], field_name: str) -> bool:
    return field_name in personal_fields(model)

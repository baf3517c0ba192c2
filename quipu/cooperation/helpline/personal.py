"""Which fields of a helpline report hold personal data: the one list that the API, the stub
left behind by routing, exports and the audit of reads all use (like quipu/cases/personal.py)."""

from django.db.models import Model

from quipu.cooperation.helpline.models import HelplineReport, ReportIdentifier, ReportTransition

# What the caller may give only when they consent to being contacted.
CALLER_FIELDS = ("caller_name", "caller_phone", "caller_email")

# The account, the exact place, the caller, identifiers, and free text that may carry any of those.
PERSONAL_FIELDS: dict[type[Model], frozenset[str]] = {
    HelplineReport: frozenset({"account", "place", "closure_reason", *CALLER_FIELDS}),
    ReportIdentifier: frozenset({"value"}),
    ReportTransition: frozenset({"note"}),
}


def personal_fields(model: type[Model]) -> frozenset[str]:
    return PERSONAL_FIELDS.get(model, frozenset())


def is_personal(model: type[Model], field_name: str) -> bool:
    return field_name in personal_fields(model)

"""Input checks shared by the web form and the API. Messages never echo the value."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from quipu.cases.validation import document_normalised, email_normalised, phone_e164
from quipu.cooperation.helpline.models import IdentifierKind
from quipu.cooperation.helpline.personal import CALLER_FIELDS

MAX_IDENTIFIERS = 10
ACCOUNT_MAX = 10000  # characters of the account


def identifier_normalised(kind: str, raw: str, *, region: str | None) -> str:
    """The value as it is stored and compared: phones in E.164 (a national number is read as
    one of `region`), documents and plates compact in upper case, handles and e-mails in lower."""
    raw = (raw or "").strip()
    if not raw:
        raise ValidationError(_("Give the identifier's value."), code="required")
    if kind == IdentifierKind.PHONE:
        return phone_e164(raw, region=region)
    if kind == IdentifierKind.EMAIL:
        return email_normalised(raw)
    if kind in (IdentifierKind.DOCUMENT, IdentifierKind.PLATE):
        return document_normalised(raw)
    if kind == IdentifierKind.SOCIAL_HANDLE:
        handle = re.sub(r"\s+", "", raw).lstrip("@").lower()
        if not handle:
            raise ValidationError(_("The handle has no letters or digits."), code="handle")
        return "@" + handle
    raise ValidationError(_("Choose a type of identifier."), code="kind")


def caller_fields_check(consents: bool, values: dict) -> dict:
    """Caller data only with consent: without it any caller value is an error, never dropped.
    Returns {field: error} for the fields that must be refused."""
    if consents:
        return {}
    message = _("The caller did not consent to being contacted: leave the caller's details empty.")
    return {name: message for name in CALLER_FIELDS if (values.get(name) or "").strip()}


def caller_normalised(values: dict, *, region: str | None) -> tuple[dict, dict]:
    """The caller's phone in E.164 (a national number read as one of `region`) and e-mail in
    lower case. Returns (values with those replaced, {field: ValidationError})."""
    normalisers = {
        "caller_phone": lambda raw: phone_e164(raw, region=region),
        "caller_email": email_normalised,
    }
    values, errors = dict(values), {}
    for name, normalise in normalisers.items():
        if values.get(name):
            try:
                values[name] = normalise(values[name])
            except ValidationError as error:
                errors[name] = error
    return values, errors

"""Domain checks shared by the web forms and the importers. Messages never echo the value."""

import datetime as dt
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

MAX_AGE = 120
ROUTE_ORDER = {"Recruitment": 0, "Transit": 1, "Exploitation": 2}


def phone_e164(raw: str, *, region: str | None = None) -> str:
    """The number in E.164 (+5491123456789); a national number needs the country it is from."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Not a phone number."), code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Not a valid phone number: write it in international format, like +57 301 234 5678."),
            code="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_normalised(raw: str) -> str:
    value = raw.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(_("Not a valid e-mail address."), code="email") from None
    return value


def document_normalised(raw: str) -> str:
    """Document numbers compare without punctuation or spaces, in upper case."""
    value = re.sub(r"[^0-9A-Za-z]", "", raw).upper()
    if not value:
        raise ValidationError(_("The document number has no letters or digits."), code="document")
    return value


def birthdate_check(birthdate: dt.date | None, *, today: dt.date | None = None) -> None:
    if birthdate is None:
        return
    today = today or dt.date.today()
    if birthdate > today:
        raise ValidationError(_("The date of birth is in the future."), code="future_birthdate")
    if today.year - birthdate.year > MAX_AGE:
        raise ValidationError(
            _("The date of birth gives an age over %(max)s years."),
            code="impossible_age",
            params={"max": MAX_AGE},
        )


def age_check(age: int | None) -> None:
    if age is not None and not 0 <= age <= MAX_AGE:
        raise ValidationError(
            _("The age must be between 0 and %(max)s."),
            code="impossible_age",
            params={"max": MAX_AGE},
        )


def route_order_check(events: list[tuple[str, dt.date | None]]) -> None:
    """Recruitment comes before transit, and transit before exploitation, when dated."""
    dated = [(ROUTE_ORDER.get(kind, 1), date) for kind, date in events if date]
    for stage, date in dated:
        for other_stage, other_date in dated:
            if stage < other_stage and date > other_date:
                raise ValidationError(
                    _(
                        "The route is out of order: recruitment comes before transit, and "
                        "transit before exploitation."
                    ),
                    code="route_order",
                )


def date_parse(raw: str) -> dt.date:
    """ISO dates (2024-03-01); day/month/year with / or - as Latin American users write them."""
    raw = raw.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("Not a date: use YYYY-MM-DD."), code="date")

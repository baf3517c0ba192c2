"""Parameters the API reads as record ids, checked at the edge.

A number past what the database stores used to reach the query and crash it (a 500 on SQLite,
issue 13); now it is a 400 that names the parameter.
"""

from django.utils.translation import gettext as _
from rest_framework import serializers

# Record ids are BigAutoField keys: a signed 64-bit integer on both databases.
RECORD_ID_MAX = 2**63 - 1


def positive_integer_error(parameter: str) -> str:
    """The translated message for a parameter out of 1..RECORD_ID_MAX; it names the parameter."""
    return _("%(parameter)s must be a whole number from 1 to %(max)s.") % {
        "parameter": parameter,
        "max": RECORD_ID_MAX,
    }


def positive_integer_parse(value: object) -> int | None:
    """The id `value` spells, or None when it is not a whole number from 1 to RECORD_ID_MAX."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(RECORD_ID_MAX)):
        return None
    number = int(text)
    return number if 1 <= number <= RECORD_ID_MAX else None


class RecordIdField(serializers.IntegerField):
    """An integer parameter naming a record: 1 to 2**63 - 1, anything else a 400 naming it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", RECORD_ID_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        number = positive_integer_parse(data)
        if number is None:
            raise serializers.ValidationError(positive_integer_error(self.field_name))
        return number

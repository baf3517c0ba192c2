"""Request parsers that refuse a NUL character anywhere in the body, at the edge.

PostgreSQL text cannot hold NUL, so a NUL that reached a lookup (a country code, an institution
code) was a 500 there and not on SQLite (issue 13). No field of the API takes one: a 400.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False


def _nul_refused(data):
    if _holds_nul(data):
        raise ParseError(_("The request holds a NUL character, which no field accepts."))
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _nul_refused(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _nul_refused(dict(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _nul_refused(dict(parsed.data.lists()))
        return parsed

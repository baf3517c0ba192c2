"""The grant page's reading of a disclosure: field labels, picklist values, country names and
dates in the reader's language (issue 14, item 6). The disclosure itself (categories.py) keeps
codes and ISO dates, which is what the API and the receipts carry."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Model
from django.utils.formats import date_format
from django.utils.text import capfirst

from quipu.cases.models import Identifier
from quipu.cases.presenters import VOCABULARY_OF
from quipu.cases.vocabulary import code_for, label
from quipu.cooperation.requests.categories import CATEGORY_FIELDS
from quipu.cooperation.requests.models import Category
from quipu.tenancy.models import Country

# Where a field name means another list on another model than in cases.presenters'
# VOCABULARY_OF ("kind" is a case's TIP/SOM there, an identifier's phone/document here).
VOCABULARY_BY_FIELD = {(Identifier, "kind"): "identifier_kind"}


@dataclass(frozen=True)
class Shown:
    """One granted value as the page prints it; `iso` is set for a date (<time datetime>)."""

    label: str
    text: str
    iso: str = ""


def term(vocabulary: str, value: str) -> str:
    """A picklist value in the reader's language, whether stored as its code or, as some
    imports leave it, as a label or a code in another case ("Investigation")."""
    return label(vocabulary, code_for(vocabulary, value) or value)


def field_label(model: type[Model], name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def field_labels(category: str) -> list[str]:
    """The labels of the fields a category discloses, for the "Fields granted" list."""
    return [
        field_label(model, name)
        for model, names in CATEGORY_FIELDS.get(category, {}).items()
        for name in names
    ]


class _Reader:
    """Turns one model's granted values into `Shown` rows; country names are read once."""

    def __init__(self, records: list[dict]):
        codes = set()
        for record in records:
            for victim in record["victims"]:
                identity = victim.get("identity", {})
                codes.add(identity.get("citizenship"))
                codes |= {row.get("issuing_country") for row in victim.get("identifiers", [])}
                codes |= {row.get("country") for row in victim.get("route", [])}
        self.countries = {c.code: c.name for c in Country.objects.filter(code__in=codes - {None})}

    def value(self, model: type[Model], name: str, value) -> Shown:
        field = model._meta.get_field(name)
        heading = field_label(model, name)
        if value in ("", None, []):
            return Shown(heading, "—")
        if field.is_relation:  # countries are the only relations a grant discloses
            return Shown(heading, self.countries.get(value, value))
        if isinstance(value, list):
            vocabulary = getattr(field, "vocabulary", "")
            return Shown(heading, ", ".join(term(vocabulary, code) for code in value))
        vocabulary = VOCABULARY_BY_FIELD.get((model, name)) or VOCABULARY_OF.get(name)
        if vocabulary:
            return Shown(heading, term(vocabulary, value))
        if isinstance(value, str) and field.get_internal_type() == "DateField":
            day = datetime.date.fromisoformat(value)
            return Shown(heading, date_format(day, "SHORT_DATE_FORMAT"), value)
        return Shown(heading, str(value))

    def row(self, model: type[Model], values: dict) -> list[Shown]:
        return [self.value(model, name, values[name]) for name in values]


def _model(category: str, index: int = 0) -> type[Model]:
    return list(CATEGORY_FIELDS[category])[index]


def grant_records_shown(records: list[dict]) -> list[dict]:
    """The records of `grant_records_read`, ready for requests/grant.html."""
    reader = _Reader(records)
    shown = []
    for record in records:
        victims = []
        for victim in record["victims"]:
            victims.append(
                {
                    "identity": reader.row(_model(Category.IDENTITY), victim["identity"])
                    if "identity" in victim
                    else [],
                    "exploitation": reader.row(
                        _model(Category.EXPLOITATION), victim["exploitation"]
                    )
                    if "exploitation" in victim
                    else [],
                    "identifiers": [
                        reader.row(_model(Category.IDENTIFIERS), row)
                        for row in victim.get("identifiers", [])
                    ],
                    "route": [
                        reader.row(_model(Category.ROUTE), row) for row in victim.get("route", [])
                    ],
                }
            )
        proceedings = record.get("proceedings")
        if proceedings:
            facts = {k: v for k, v in proceedings.items() if k != "steps"}
            proceedings = {
                "facts": reader.row(_model(Category.PROCEEDINGS), facts),
                "steps": [
                    reader.row(_model(Category.PROCEEDINGS, 1), step)
                    for step in proceedings["steps"]
                ],
            }
        shown.append({"victims": victims, "proceedings": proceedings})
    return shown

"""What each category of a request discloses: the ONE mapping from a category to model fields
(STYLE.md "a rule lives in one place"). The grant page, the API and every test read it here.

A granted record is one case of the owner. Its victims are disclosed, never its perpetrators:
a request is about the people the requesting country's case concerns, and perpetrators'
identities go through the formal MLA channel outside the platform.
"""

from __future__ import annotations

from django.db.models import Model

from quipu.cases.fields import CodeSet
from quipu.cases.models import Case, Identifier, Person, ProsecutionStep, RouteEvent, Victim
from quipu.cooperation.requests.models import Category

CATEGORY_FIELDS: dict[str, dict[type[Model], tuple[str, ...]]] = {
    Category.IDENTITY: {
        Person: ("first_name", "middle_name", "second_name", "birthdate", "gender", "citizenship")
    },
    Category.IDENTIFIERS: {Identifier: ("kind", "value", "document_type", "issuing_country")},
    Category.ROUTE: {RouteEvent: ("event_type", "country", "state", "city", "date")},
    Category.EXPLOITATION: {
        Victim: (
            "trafficking_status",
            "age_group",
            "exploitation_types",
            "labour_industries",
            "sex_exploitation_types",
            "recruitment_methods",
            "control_methods",
        )
    },
    Category.PROCEEDINGS: {Case: ("kind", "status"), ProsecutionStep: ("stage", "date")},
}


def fields_of(category: str) -> list[str]:
    """The field names a category discloses, as `model.field` (for receipts and the guide)."""
    return [
        f"{model._meta.model_name}.{name}"
        for model, names in CATEGORY_FIELDS.get(category, {}).items()
        for name in names
    ]


def _value(row: Model, name: str):
    field = row._meta.get_field(name)
    if field.is_relation:
        return getattr(row, field.attname) or ""
    value = getattr(row, name)
    if isinstance(value, CodeSet):
        return sorted(value.present)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return "" if value is None else value


def _pick(row: Model, category: str) -> dict:
    return {name: _value(row, name) for name in CATEGORY_FIELDS[category][type(row)]}


def record_disclosure(case: Case, categories: list[str]) -> dict:
    """The granted fields of one owner's case: per victim, only `categories`; nothing else."""
    granted = set(categories)
    victims = []
    for victim in case.victims.select_related("person").order_by("pk"):
        person = victim.person
        entry: dict = {"victim": victim.pk}
        if Category.IDENTITY in granted:
            entry["identity"] = _pick(person, Category.IDENTITY)
        if Category.IDENTIFIERS in granted:
            entry["identifiers"] = [
                _pick(row, Category.IDENTIFIERS) for row in person.identifiers.order_by("pk")
            ]
        if Category.ROUTE in granted:
            entry["route"] = [_pick(row, Category.ROUTE) for row in victim.route_events.all()]
        if Category.EXPLOITATION in granted:
            entry["exploitation"] = _pick(victim, Category.EXPLOITATION)
        victims.append(entry)
    record: dict = {"case": case.pk, "victims": victims}
    if Category.PROCEEDINGS in granted:
        record["proceedings"] = {
            **_pick(case, Category.PROCEEDINGS),
            "steps": [_pick(step, Category.PROCEEDINGS) for step in case.prosecution_steps.all()],
        }
    return record

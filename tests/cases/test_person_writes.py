"""Writes to a victim's person record."""

import pytest

from quipu.cases.models import Case, Person
from quipu.cases.services import victim_person_save

pytestmark = pytest.mark.django_db


def test_changing_a_victims_person_moves_its_change_time(region):
    case = Case.objects.get(reference="CO-TEST-1")
    person = case.victims.get().person
    Person.objects.filter(pk=person.pk).update(updated_at=person.updated_at.replace(year=2020))
    victim_person_save(
        actor=region.user("caseworker.co"), case=case, fields={"second_name": "Rojas Vargas"}
    )
    person.refresh_from_db()
    assert person.second_name == "Rojas Vargas" and person.updated_at.year >= 2026

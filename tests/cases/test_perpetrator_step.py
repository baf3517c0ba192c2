"""A caseworker records a case's perpetrators: the person, the role, and their identifiers."""

import datetime as dt

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from quipu.audit.models import Action, AuditEntry
from quipu.cases import services
from quipu.cases.fields import CodeSet
from quipu.cases.models import Case, Identifier, Perpetrator, Person
from quipu.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db

STEP = "perpetrators"


def _new_case(client, region) -> Case:
    response = client.post(
        reverse("cases:new"),
        {
            "owner": region.institution("CO-POLICE").pk,
            "kind": "TIP",
            "status": "Active",
            "registered_on": "2025-02-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Case.objects.filter(reference__startswith="CO-2025-").latest("id")


def _form_values(form) -> dict:
    """A form's fields as a browser posts them: blank inputs as "", unticked boxes left out."""
    values = {}
    for bound_field in form:
        value = bound_field.value()
        if isinstance(value, bool):
            if value:
                values[bound_field.html_name] = "on"
        elif isinstance(value, list | tuple):
            values[bound_field.html_name] = [str(v) for v in value]
        elif isinstance(value, dt.date):
            values[bound_field.html_name] = value.isoformat()
        elif value is not None:
            values[bound_field.html_name] = str(getattr(value, "pk", value))
        elif not isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple):
            values[bound_field.html_name] = ""
    return values


def _page(client, case) -> dict:
    """What a browser would send back untouched: every row, extra blank rows included."""
    response = client.get(reverse("cases:edit", args=[case.pk, STEP]))
    assert response.status_code == 200
    formset = response.context["formset"]
    data = _form_values(formset.management_form)
    for form in formset:
        data.update(_form_values(form))
        data.update(_form_values(form.identifiers.management_form))
        for identifier_form in form.identifiers:
            data.update(_form_values(identifier_form))
    return data


def _post(client, case, data):
    return client.post(reverse("cases:edit", args=[case.pk, STEP]), data)


def _two_perpetrators(client, case):
    data = _page(client, case)
    data.update(
        {
            "per-0-first_name": "Jairo",
            "per-0-second_name": "Mendoza Ruiz",
            "per-0-gender": "Masculine",
            "per-0-citizenship": "VE",
            "per-0-birthdate": "1980-03-02",
            "per-0-roles": ["RecruiterOrIntermediary", "Exploiter"],
            "per-0-role_details": "Ofrecía trabajo en Cali.",
            "per-0-ids-0-kind": "phone",
            "per-0-ids-0-value": "0412 1234567",  # national format, read as Venezuelan
            "per-0-ids-1-kind": "plate",
            "per-0-ids-1-value": "ABC123",
            "per-1-second_name": "Paredes",
            "per-1-roles": ["Transporter"],
            "per-1-ids-0-kind": "social_handle",
            "per-1-ids-0-value": "@transporte_sur",
        }
    )
    return _post(client, case, data)


def test_caseworker_records_perpetrators_with_roles_and_identifiers(login, region):
    client = login("caseworker.co")
    case = _new_case(client, region)
    response = _two_perpetrators(client, case)
    assert response.status_code == 302, response.context["formset"].error_summary()
    assert response["Location"] == reverse("cases:edit", args=[case.pk, "consent"])
    first, second = Perpetrator.objects.filter(case=case).order_by("id")
    assert first.person.owner == case.owner
    assert (first.person.first_name, first.person.second_name) == ("Jairo", "Mendoza Ruiz")
    assert first.person.citizenship_id == "VE"
    assert first.person.birthdate == dt.date(1980, 3, 2)
    assert first.roles.present == {"RecruiterOrIntermediary", "Exploiter"}
    assert sorted(first.person.identifiers.values_list("kind", "value")) == [
        ("phone", "+584121234567"),
        ("plate", "ABC123"),
    ]
    assert second.roles.present == {"Transporter"}
    assert second.person.identifiers.get().value == "@transporte_sur"
    created = AuditEntry.objects.filter(action=Action.CREATE, object_type="cases.perpetrator")
    assert created.count() == 2
    assert "Jairo" not in str(list(created.values_list("detail", flat=True)))


def test_caseworker_edits_one_perpetrator_and_deletes_the_other(login, region):
    client = login("caseworker.co")
    case = _new_case(client, region)
    _two_perpetrators(client, case)
    first, second = Perpetrator.objects.filter(case=case).order_by("id")
    data = _page(client, case)
    assert data["per-INITIAL_FORMS"] == "2"
    assert data["per-0-first_name"] == "Jairo"
    assert data["per-0-ids-0-value"] == "+584121234567"
    data.update(
        {
            "per-0-first_name": "Jairo Andrés",
            "per-0-roles": ["Exploiter"],
            "per-0-ids-1-DELETE": "on",  # the plate goes
            "per-1-DELETE": "on",
        }
    )
    response = _post(client, case, data)
    assert response.status_code == 302, response.context["formset"].error_summary()
    kept = Perpetrator.objects.get(case=case)
    assert kept.pk == first.pk
    assert kept.person.first_name == "Jairo Andrés"
    assert kept.person.second_name == "Mendoza Ruiz"
    assert kept.roles.present == {"Exploiter"}
    assert list(kept.person.identifiers.values_list("kind", flat=True)) == ["phone"]
    # The deleted perpetrator's person and identifiers belonged to this case only.
    assert not Person.objects.filter(pk=second.person_id).exists()
    assert not Identifier.objects.filter(person_id=second.person_id).exists()
    assert AuditEntry.objects.filter(
        action=Action.DELETE, object_type="cases.perpetrator", object_id=str(second.pk)
    ).exists()


def test_untouched_page_saves_no_perpetrator(login, region):
    client = login("caseworker.co")
    case = _new_case(client, region)
    data = _page(client, case)
    assert data["per-0-ids-0-kind"] == ""  # an untouched row says nothing
    assert _post(client, case, data).status_code == 302
    assert not Perpetrator.objects.filter(case=case).exists()


def test_rule4_invalid_phone_names_the_field_and_writes_nothing(login, region):
    client = login("caseworker.co")
    case = _new_case(client, region)
    _two_perpetrators(client, case)
    people_before = Person.objects.count()
    audit_before = AuditEntry.objects.count()
    data = _page(client, case)
    data.update(
        {
            "per-0-first_name": "Otro Nombre",
            "per-2-first_name": "Nuevo",
            "per-2-ids-0-kind": "phone",
            "per-2-ids-0-value": "55-12",
        }
    )
    response = _post(client, case, data)
    assert response.status_code == 200
    formset = response.context["formset"]
    errors = formset.forms[2].identifiers.forms[0].errors["value"]
    assert errors and "55-12" not in str(errors)
    # The summary at the top names the row and the field, in the reader's language.
    with translation.override("es"):
        row = gettext("%(entry)s, identifier %(number)s") % {
            "entry": gettext("Perpetrator %(number)s") % {"number": 3},
            "number": 1,
        }
        field = gettext("Value")
    [line] = formset.error_summary()
    assert line.startswith(f"{row}, {field}: ") and str(errors[0]) in line
    assert "55-12" not in line and line in response.content.decode()
    # Nothing was written: not the new row, not the change to the first.
    assert Person.objects.count() == people_before
    assert AuditEntry.objects.count() == audit_before
    assert Perpetrator.objects.filter(case=case).count() == 2
    assert Person.objects.filter(first_name="Otro Nombre").count() == 0


def test_future_birthdate_of_a_perpetrator_is_explained_next_to_the_field(login, region):
    client = login("caseworker.co")
    case = _new_case(client, region)
    data = _page(client, case)
    data.update({"per-0-second_name": "Paredes", "per-0-birthdate": "2190-01-01"})
    response = _post(client, case, data)
    assert response.status_code == 200
    assert "birthdate" in response.context["formset"].forms[0].errors
    assert not Perpetrator.objects.filter(case=case).exists()


def test_rule1_another_countrys_case_returns_404_and_is_not_changed(login, region):
    case = Case.objects.get(reference="PE-TEST-1")
    client = login("caseworker.co")
    url = reverse("cases:edit", args=[case.pk, STEP])
    assert client.get(url).status_code == 404
    data = {
        "per-TOTAL_FORMS": "1",
        "per-INITIAL_FORMS": "0",
        "per-0-first_name": "Intruso",
        "per-0-ids-TOTAL_FORMS": "0",
        "per-0-ids-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 404
    assert not Perpetrator.objects.filter(case=case).exists()
    assert AuditEntry.objects.filter(action=Action.DENIED, object_id=str(case.pk)).exists()


def test_rule1_analyst_sees_no_perpetrator_names_or_identifiers(login, region):
    client = login("caseworker.co")
    case = _new_case(client, region)
    _two_perpetrators(client, case)
    detail = reverse("cases:detail", args=[case.pk])
    page = client.get(detail).content.decode()
    assert "Mendoza Ruiz" in page and "+584121234567" in page and "@transporte_sur" in page

    page = login("analyst.co").get(detail).content.decode()
    assert "Perpetrador" in page
    assert "Captador o intermediario" in page  # roles are not personal
    for personal in ("Jairo", "Mendoza", "Paredes", "1980", "+584121234567", "ABC123", "Cali"):
        assert personal not in page
    assert "(restringido)" in page or "(restricted)" in page


def test_a_tampered_form_cannot_take_over_another_cases_perpetrator(login, region):
    client = login("caseworker.co")
    other = _new_case(client, region)
    _two_perpetrators(client, other)
    foreign = Perpetrator.objects.filter(case=other).first()
    case = _new_case(client, region)
    data = _page(client, case)
    data.update({"per-0-id": str(foreign.pk), "per-0-first_name": "Cambiado"})
    response = _post(client, case, data)
    assert response.status_code == 422
    foreign.person.refresh_from_db()
    assert foreign.person.first_name == "Jairo"


def test_the_victim_cannot_be_recorded_as_the_perpetrator_of_the_case(region):
    case = Case.objects.get(reference="CO-TEST-1")
    victim = case.victims.get()
    actor = region.user("caseworker.co")
    with pytest.raises(InvalidInput) as refused:
        services.perpetrators_replace(
            actor=actor,
            case=case,
            perpetrators=[{"person": victim.person, "roles": CodeSet.of({"Exploiter"})}],
        )
    assert refused.value.code == "perpetrator_is_victim"
    assert not Perpetrator.objects.filter(case=case).exists()


def test_rule1_a_person_of_another_institution_cannot_be_linked(region):
    case = Case.objects.get(reference="CO-TEST-1")
    foreign_person = Case.objects.get(reference="PE-TEST-1").victims.get().person
    with pytest.raises(NotAllowed):
        services.perpetrators_replace(
            actor=region.user("caseworker.co"),
            case=case,
            perpetrators=[{"person": foreign_person}],
        )
    assert not Perpetrator.objects.filter(case=case).exists()
    assert AuditEntry.objects.filter(
        action=Action.DENIED, object_type="cases.person", object_id=str(foreign_person.pk)
    ).exists()


def test_known_absent_roles_from_an_import_survive_an_edit(region):
    case = Case.objects.get(reference="CO-TEST-1")
    actor = region.user("caseworker.co")
    person = Person.objects.create(owner=case.owner, second_name="Importado")
    imported = Perpetrator.objects.create(
        case=case, person=person, roles=CodeSet.of({"Transporter"}, {"Smuggler"})
    )
    services.perpetrators_replace(
        actor=actor,
        case=case,
        perpetrators=[{"id": imported.pk, "roles": CodeSet.of({"Exploiter"})}],
    )
    imported.refresh_from_db()
    assert imported.roles == CodeSet.of({"Exploiter"}, {"Smuggler"})
    assert imported.person.second_name == "Importado"


def test_rule6_picklists_follow_the_readers_language(login, region):
    client = login("caseworker.co")
    case = _new_case(client, region)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-br"
    page = client.get(reverse("cases:edit", args=[case.pk, STEP])).content.decode()
    assert "Número de telefone" in page  # identifier_kind
    assert "Aliciador ou intermediário" in page  # perpetrator_role
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(reverse("cases:edit", args=[case.pk, STEP])).content.decode()
    assert "Número de teléfono" in page and "Captador o intermediario" in page

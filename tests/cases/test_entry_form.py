"""A caseworker registers a case step by step; bad input is explained next to the field."""

import pytest
from django.urls import reverse

from quipu.audit.models import Action, AuditEntry
from quipu.cases.models import Case, Identifier, RouteEvent

pytestmark = pytest.mark.django_db


def _management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }


def _new_case(client, region):
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
    return Case.objects.get(reference__startswith="CO-2025-")


def _step(client, case, step, data):
    return client.post(reverse("cases:edit", args=[case.pk, step]), data)


def test_caseworker_registers_a_case_through_every_step(login, region):
    client = login("caseworker.co")
    case = _new_case(client, region)
    assert (
        _step(
            client,
            case,
            "person",
            {
                "first_name": "Ana",
                "second_name": "Quispe Mamani",
                "birthdate": "2001-05-04",
                "gender": "Feminine",
                "citizenship": "BO",
            },
        ).status_code
        == 302
    )
    assert (
        _step(
            client,
            case,
            "context",
            {
                "trafficking_status": "ActualVictimOfTrafficking",
                "age_when_trafficked": "22",
                "exploitation_types": ["ForcedLabour"],
                "labour_industries": ["A_AgricultureForestryAndFishing"],
                "control_methods": ["DebtBondage", "WithholdsDocuments"],
            },
        ).status_code
        == 302
    )
    route = {
        **_management("route", 2),
        "route-0-event_type": "Recruitment",
        "route-0-country": "BO",
        "route-0-city": "El Alto",
        "route-0-date": "2024-01-10",
        "route-1-event_type": "Exploitation",
        "route-1-country": "CO",
        "route-1-city": "Cali",
        "route-1-date": "2024-02-01",
    }
    assert _step(client, case, "route", route).status_code == 302
    identifiers = {**_management("ids", 1), "ids-0-kind": "phone", "ids-0-value": "+591 71234567"}
    assert _step(client, case, "identifiers", identifiers).status_code == 302
    assert _step(client, case, "consent", {"consent": "on"}).status_code == 302
    victim = case.victims.get()
    assert victim.person.second_name == "Quispe Mamani"
    assert victim.control_methods.present == {"DebtBondage", "WithholdsDocuments"}
    assert [e.event_type for e in RouteEvent.objects.filter(victim__case=case)] == [
        "Recruitment",
        "Exploitation",
    ]
    assert Identifier.objects.get(person=victim.person).value == "+59171234567"
    assert victim.consent.consent
    assert AuditEntry.objects.filter(action=Action.CREATE, object_type="cases.case").exists()


def test_impossible_age_and_future_birthdate_are_explained_next_to_the_field(login, region):
    client = login("caseworker.co")
    case = _new_case(client, region)
    response = _step(client, case, "person", {"first_name": "X", "birthdate": "2090-01-01"})
    assert response.status_code == 200
    assert "birthdate" in response.context["form"].errors
    _step(client, case, "person", {"first_name": "X"})
    response = _step(client, case, "context", {"age_when_trafficked": "140"})
    assert "age_when_trafficked" in response.context["form"].errors


def test_exploitation_before_recruitment_is_refused(login, region):
    client = login("caseworker.co")
    case = _new_case(client, region)
    _step(client, case, "person", {"first_name": "X"})
    route = {
        **_management("route", 2),
        "route-0-event_type": "Recruitment",
        "route-0-date": "2024-05-01",
        "route-1-event_type": "Exploitation",
        "route-1-date": "2024-01-01",
    }
    response = _step(client, case, "route", route)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not RouteEvent.objects.filter(victim__case=case).exists()


def test_invalid_phone_is_refused_with_a_message_that_does_not_repeat_it(login, region):
    client = login("caseworker.co")
    case = _new_case(client, region)
    _step(client, case, "person", {"first_name": "X", "citizenship": "CO"})
    data = {**_management("ids", 1), "ids-0-kind": "phone", "ids-0-value": "123"}
    response = _step(client, case, "identifiers", data)
    errors = response.context["formset"].forms[0].errors["value"]
    assert errors and "123" not in str(errors)


def test_rule1_caseworker_cannot_edit_another_institutions_case(login, region):
    case = Case.objects.get(reference="CO-TEST-1")
    case.owner = region.institution("CO-SHELTER")
    case.save()
    response = login("caseworker.co").get(reverse("cases:edit", args=[case.pk, "person"]))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action=Action.DENIED, object_id=str(case.pk)).exists()


def test_untouched_extra_rows_of_the_route_and_identifiers_save_nothing(login, region):
    client = login("caseworker.co")
    case = _new_case(client, region)
    _step(client, case, "person", {"first_name": "X", "citizenship": "CO"})
    # Each picklist opens on an empty choice, so an untouched row posts nothing.
    page = client.get(reverse("cases:edit", args=[case.pk, "route"])).content.decode()
    assert '<select name="route-0-event_type"' in page
    assert (
        page.split('<select name="route-0-event_type"')[1]
        .split("<option")[1]
        .startswith(' value=""')
    )
    route = {**_management("route", 3)}
    route.update({f"route-{i}-{name}": "" for i in range(3) for name in ("event_type", "city")})
    route.update({"route-0-event_type": "Recruitment", "route-0-city": "Pasto"})
    assert _step(client, case, "route", route).status_code == 302
    assert list(RouteEvent.objects.filter(victim__case=case).values_list("city", flat=True)) == [
        "Pasto"
    ]
    identifiers = {**_management("ids", 2), "ids-1-kind": "", "ids-1-value": ""}
    identifiers.update({"ids-0-kind": "email", "ids-0-value": "X@Example.org"})
    assert _step(client, case, "identifiers", identifiers).status_code == 302
    assert list(
        Identifier.objects.filter(person__victim_contexts__case=case).values_list(
            "value", flat=True
        )
    ) == ["x@example.org"]

"""Rule 1 for cases: lists, details and search only reach what the role and country allow."""

import pytest
from django.urls import reverse

from quipu.audit.models import Action, AuditEntry
from quipu.cases.models import Case
from quipu.cases.selectors import cases_filtered, cases_visible_to

pytestmark = pytest.mark.django_db


def _references(user, **filters):
    return set(cases_filtered(user=user, filters=filters).values_list("reference", flat=True))


def test_rule1_focal_point_and_prosecutor_see_their_country(region):
    assert _references(region.user("focal.co")) == {"CO-TEST-1"}
    assert _references(region.user("prosecutor.ve")) == {"VE-TEST-1"}


def test_rule1_caseworker_sees_only_their_institution(region):
    assert _references(region.user("caseworker.co")) == {"CO-TEST-1"}  # police owns it
    case = Case.objects.get(reference="CO-TEST-1")
    case.owner = region.institution("CO-SHELTER")
    case.save()
    assert _references(region.user("caseworker.co")) == set()


def test_rule1_secretariat_and_consuls_see_no_case(region):
    assert not cases_visible_to(user=region.user("secretariat")).exists()
    assert not cases_visible_to(user=region.user("consul.co")).exists()


def test_rule1_search_by_name_needs_personal_data_rights(region):
    assert _references(region.user("focal.pe"), q="nombrepe") == {"PE-TEST-1"}
    assert _references(region.user("analyst.pe"), q="nombrepe") == set()
    assert _references(region.user("analyst.pe"), q="PE-TEST") == {"PE-TEST-1"}


def test_filters_by_exploitation_sex_age_and_country(region):
    focal = region.user("focal.bo")
    assert _references(focal, exploitation="SexualExploitation") == {"BO-TEST-1"}
    assert _references(focal, exploitation="ForcedLabour") == set()
    assert _references(focal, gender="Feminine", age_group="adult") == {"BO-TEST-1"}
    assert _references(focal, age_group="minor") == set()
    assert _references(focal, exploited_in="BO", citizenship="BO") == {"BO-TEST-1"}
    assert _references(focal, exploited_in="AR") == set()


def test_analyst_detail_hides_personal_fields_and_is_not_audited_as_personal(login, region):
    case = Case.objects.get(reference="UY-TEST-1")
    page = login("analyst.uy").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "NombreUY" not in page and "+5700000" not in page
    assert not AuditEntry.objects.filter(action=Action.READ).exists()


def test_rule3_caseworker_reading_personal_data_is_audited(login, region):
    case = Case.objects.get(reference="CL-TEST-1")
    page = login("caseworker.cl").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "NombreCL" in page
    entry = AuditEntry.objects.get(action=Action.READ)
    assert (entry.object_type, entry.object_id, entry.subject_country) == (
        "cases.case",
        str(case.pk),
        "CL",
    )


def test_rule1_another_countrys_case_is_a_404_and_audited(login, region):
    case = Case.objects.get(reference="AR-TEST-1")
    response = login("focal.br").get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 404
    assert "AR-TEST-1" not in response.content.decode()
    assert AuditEntry.objects.get(action=Action.DENIED).object_id == str(case.pk)


def test_case_list_is_paginated_and_filters_validate(login, region):
    client = login("focal.co")
    response = client.get(reverse("cases:list"), {"year_from": 2030, "year_to": 2020})
    assert response.status_code == 200
    assert response.context["form"].errors["year_to"]

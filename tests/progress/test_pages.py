"""The progress pages and API as their readers use them: who sees what, how, and targets."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from quipu.audit.models import AuditEntry
from quipu.indicators.models import Indicator, Unit
from quipu.progress.models import CountryTarget

pytestmark = pytest.mark.django_db


def _get(client, name, *args, **params):
    with translation.override("es"):
        return client.get(reverse(name, args=args), params, HTTP_ACCEPT_LANGUAGE="es")


def test_overview_shows_every_member_state_with_status(chile, login):
    client = login("secretariat")
    page = _get(client, "progress:overview", period="2025")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Detected victims" in html or "Víctimas detectadas" in html
    for code in ("AR", "BR", "CL", "VE"):
        assert f">{code}</abbr>" in html
    assert "Suprimido" in html  # Chile's 4 girls in the regional view


def test_caseworkers_do_not_read_progress(chile, login):
    client = login("caseworker.cl")
    assert _get(client, "progress:overview").status_code == 403
    assert AuditEntry.objects.filter(action="denied", detail__capability="read_aggregates").exists()


def test_focal_point_reads_own_country_whole_with_pending_marked(chile, login):
    client = login("focal.cl")
    html = _get(client, "progress:country", "CL", period="2025").content.decode()
    assert "pendiente" in html  # the police's submitted answer counts, marked
    assert "26,7 %" in html  # 4 girls of 15: shown to Chile itself
    other = _get(client, "progress:country", "AR", period="2025").content.decode()
    assert "Vista regional" in other


def test_secretariat_reads_chile_as_a_regional_view(chile, login):
    html = _get(login("secretariat"), "progress:country", "CL", period="2025").content.decode()
    assert "26,7 %" not in html and "Suprimido" in html
    assert "pendiente" not in html


def test_focal_point_sets_targets_and_status_follows(chile, login):
    client = login("focal.cl")
    url = reverse("progress:targets", args=["CL"])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "value_PREV-03": "11",
            "year_PREV-03": "2029",
            "value_PREV-01": "1",
            "year_PREV-01": "2026",
        },
    )
    assert response.status_code == 302
    saved = CountryTarget.objects.get(country_id="CL", indicator__code="PREV-03")
    assert (saved.value, saved.target_year) == (Decimal(11), 2029)
    # Baseline 3 (2024) towards 11 by 2029: 4.6 expected in 2025; 9 accepted is on track.
    api = client.get(reverse("api:progress"), {"period": "2025", "country": "CL"})
    rows = {row["indicator"]: row for row in api.json()["results"]}
    assert rows["PREV-03"]["status"] == "on_track"
    assert rows["PREV-03"]["latest"] == 15.0 and rows["PREV-03"]["pending"] is True
    assert rows["PREV-01"]["status"] == "on_track"
    assert rows["PREV-05"]["status"] == "no_data"
    assert (
        AuditEntry.objects.filter(object_type="progress.countrytarget", action="create").count()
        == 2
    )


def test_bad_targets_are_named_next_to_the_field_and_nothing_is_saved(chile, login):
    client = login("focal.cl")
    url = reverse("progress:targets", args=["CL"])
    with translation.override("pt-br"):
        response = client.post(
            url,
            {"value_PROT-04": "140", "year_PROT-04": "2028", "value_PREV-03": "5"},
            HTTP_ACCEPT_LANGUAGE="pt-br",
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Uma porcentagem não pode passar de 100." in html
    assert "Informe o ano" in html
    assert not CountryTarget.objects.exists()


def test_only_the_country_s_focal_point_sets_its_targets(chile, login):
    assert login("focal.ar").get(reverse("progress:targets", args=["CL"])).status_code == 403
    assert login("secretariat").get(reverse("progress:targets", args=["CL"])).status_code == 403
    assert login("analyst.cl").get(reverse("progress:targets", args=["CL"])).status_code == 403


def test_harmonisation_matrix_shows_convergence(chile, login):
    html = _get(login("analyst.co"), "progress:harmonisation", period="2025").content.decode()
    assert "Matriz de armonización" in html
    assert "PROS-06" in html and "PREV-01" in html


def test_download_is_regional_unless_a_country_asks_for_its_own(chile, login):
    client = login("focal.cl")
    regional = client.get(reverse("progress:download", args=["dhis2"]), {"period": "2025"})
    assert regional["Content-Disposition"].endswith('2025.json"')
    values = {
        v["dataElement"]: v["value"]
        for v in json.loads(regional.content)["dataValues"]
        if v["orgUnit"] == "CL"
    }
    assert "PROT-03" not in values
    own = client.get(
        reverse("progress:download", args=["csv"]), {"period": "2025", "country": "CL"}
    ).content.decode()
    assert "PROT-03,Detected child victims" in own or ",PROT-03," in own
    assert "suppressed" not in own.split("PROT-03", 1)[1].split("\n", 1)[0]


def test_api_regional_view_for_the_secretariat(chile, login):
    body = login("secretariat").get(reverse("api:progress"), {"period": "2025"}).json()
    assert body["regional"] is True and body["period"] == "2025"
    chile_rows = {r["indicator"]: r for r in body["results"] if r["country"] == "CL"}
    assert chile_rows["PROT-01"]["latest"] == 15.0
    assert chile_rows["PROT-03"]["latest_state"] == "suppressed"
    assert chile_rows["PREV-03"]["latest"] == 9.0 and chile_rows["PREV-03"]["pending"] is False


def test_indicator_page_draws_map_bars_trend_and_breakdown_tables(chile, login):
    page = _get(login("analyst.ar"), "progress:indicator", "PROT-01", period="2025")
    html = page.content.decode()
    assert html.count("<svg") >= 3  # map, bars, trend
    assert 'style="' not in html  # the content-security policy forbids inline styles
    assert "Por sexo, 2025" in html and "Por grupo de edad, 2025" in html  # as tables
    assert "Suprimido" in html  # Chile's 3 men


def test_axis_page_has_a_chart_and_table_per_indicator(chile, login):
    html = _get(login("secretariat"), "progress:axis", "PROT", period="2025").content.decode()
    for code in ("PROT-01", "PROT-02", "PROT-12"):
        assert f'id="chart-{code}"' in html
    indicators = Indicator.objects.filter(axis__code="PROT", is_active=True)
    yes_no = indicators.filter(unit=Unit.YES_NO).count()
    # a table beside each of the bars and the trend; yes/no answers are one table, no chart
    assert html.count("<table") >= 2 * (indicators.count() - yes_no) + yes_no


def test_opening_another_country_s_targets_is_audited_as_a_denial(chile, login):
    assert login("focal.ar").get(reverse("progress:targets", args=["CL"])).status_code == 403
    denial = AuditEntry.objects.filter(action="denied", object_type="tenancy.country").latest("seq")
    assert denial.object_id == "CL" and denial.detail["capability"] == "approve_disclosure"

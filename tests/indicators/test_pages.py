"""The framework and survey pages: who may use them, and what they show."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from quipu.audit.models import AuditEntry
from quipu.indicators.models import Indicator, Survey
from quipu.indicators.references import reference_text
from tests.conftest import shared_reference

pytestmark = pytest.mark.django_db

HTCDS = ("htcds", "Toolkit", "Survey", "htcds_xlsform.xlsx")


def indicator_post(indicator: Indicator, **changes) -> dict:
    data = {
        name: getattr(indicator, name)
        for name in (
            "order",
            "name_es",
            "name_pt",
            "name_en",
            "definition_es",
            "definition_pt",
            "definition_en",
            "unit",
            "periodicity",
            "data_source",
            "reference",
            "responsible_kind",
            "computation",
            "case_measure",
            "aggregation",
            "numerator",
            "denominator",
        )
    }
    data.update(code=indicator.code, axis=indicator.axis_id, factor=indicator.factor or "")
    data["disaggregations"] = indicator.disaggregations
    data["is_active"] = "on" if indicator.is_active else ""
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_everyone_signed_in_reads_the_framework_but_only_the_secretariat_edits(framework, login):
    analyst = login("analyst.co")
    page = analyst.get(reverse("indicators:framework"))
    assert page.status_code == 200
    assert b"PROT-02" in page.content and b"/edit/" not in page.content
    for name, kwargs in (
        ("indicators:indicator_edit", {"code": "PROT-02"}),
        ("indicators:indicator_new", {}),
        ("indicators:framework_import", {}),
        ("indicators:survey_import", {}),
    ):
        assert analyst.get(reverse(name, kwargs=kwargs)).status_code == 403
    focal = login("focal.co")
    indicator = Indicator.objects.get(code="PREV-03")
    url = reverse("indicators:indicator_edit", kwargs={"code": "PREV-03"})
    assert focal.post(url, indicator_post(indicator, name_en="Hacked")).status_code == 403
    indicator.refresh_from_db()
    assert indicator.name_en != "Hacked"
    secretariat = login("secretariat")
    assert b"/edit/" in secretariat.get(reverse("indicators:framework")).content


def test_the_secretariat_edits_an_indicator_and_it_is_audited(framework, login):
    client = login("secretariat")
    indicator = Indicator.objects.get(code="PREV-03")
    url = reverse("indicators:indicator_edit", kwargs={"code": "PREV-03"})
    assert client.get(url).status_code == 200
    response = client.post(url, indicator_post(indicator, name_en="Campaigns run"))
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name_en == "Campaigns run"
    entry = AuditEntry.objects.filter(object_type="indicators.indicator").first()
    assert entry.object_id == str(indicator.pk) and entry.detail["fields"] == ["name_en"]


def test_the_edit_page_refuses_a_formula_naming_an_unknown_indicator(framework, login):
    client = login("secretariat")
    indicator = Indicator.objects.get(code="PROT-04")
    url = reverse("indicators:indicator_edit", kwargs={"code": "PROT-04"})
    response = client.post(url, indicator_post(indicator, numerator="#{NOPE}"))
    assert response.status_code == 200
    assert b"NOPE" in response.content
    indicator.refresh_from_db()
    assert indicator.numerator == "#{PROT-03}"


def test_the_secretariat_adds_an_indicator(framework, login):
    client = login("secretariat")
    template = Indicator.objects.get(code="PREV-03")
    data = indicator_post(template, code="PREV-99", name_en="New one")
    response = client.post(reverse("indicators:indicator_new"), data)
    assert response.status_code == 302, response.content
    assert Indicator.objects.get(code="PREV-99").name_en == "New one"


def test_framework_download_and_import_pages(framework, login):
    client = login("secretariat")
    download = client.get(reverse("indicators:framework_export"))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxml")
    upload = {"file": ("f.xlsx", download.content)}
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("indicators:framework_import"),
        {"file": SimpleUploadedFile("framework.xlsx", download.content)},
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("indicators:framework_import"),
        {"file": SimpleUploadedFile("framework.xlsx", b"not a workbook")},
    )
    assert bad.status_code == 422 and b'role="alert"' in bad.content
    assert upload


def test_survey_pages_list_fill_and_guide(framework, login):
    client = login("caseworker.ar")
    listing = client.get(reverse("indicators:survey_list"))
    assert listing.status_code == 200 and b"quipu_baseline" in listing.content
    url = reverse("indicators:survey_fill", kwargs={"form_id": "quipu_baseline"})
    page = client.get(url + "?lang=pt")
    assert page.status_code == 200
    assert "O país tem um plano nacional contra o tráfico vigente?" in page.content.decode()
    assert b"PREV-01" in page.content  # the question says which indicator it feeds


def test_posting_the_survey_form_reports_errors_and_shows_the_instance(framework, login):
    client = login("caseworker.ar")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("indicators:survey_fill", kwargs={"form_id": "quipu_baseline"}) + "?lang=en"
    empty = client.post(url, {"__count__/data/protection/services": "0"})
    assert empty.status_code == 422
    assert b"answers need attention" in empty.content
    live = client.post(url, {"/data/prevention/has_action_plan": "yes"}, HTTP_HX_REQUEST="true")
    assert live.status_code == 200 and b'role="alert"' not in live.content
    assert b"<html" not in live.content  # only the form, for htmx to swap in
    # Once checked, the rules follow the person as they type.
    rechecked = client.post(
        url, {"__checked__": "1", "/data/answer_date": "2999-01-01"}, HTTP_HX_REQUEST="true"
    )
    assert rechecked.status_code == 200
    assert b"The date cannot be in the future." in rechecked.content
    answers = {
        "/data/respondent_role": "Director",
        "/data/answer_date": "2025-03-01",
        "__count__/data/protection/services": "0",
        "/data/coordination/coordination_level": "3",
    }
    for name in (
        "prevention/has_action_plan",
        "prevention/demand_measures",
        "prevention/border_protocol",
        "prevention/helpline",
        "protection/identification_protocol",
        "protection/reflection_period",
        "protection/consular_protocol",
        "prosecution/palermo_definition",
        "prosecution/specialised_unit",
        "coordination/coordination_body",
        "coordination/standard_data_form",
        "coordination/regional_data",
    ):
        answers[f"/data/{name}"] = "no"
    valid = client.post(url, answers)
    assert valid.status_code == 200, valid.content.decode()[-3000:]
    assert b"Every answer meets the form" in valid.content
    assert b"&lt;has_action_plan&gt;no&lt;/has_action_plan&gt;" in valid.content


@pytest.mark.parametrize(
    ("lang", "label", "message"),
    [
        (
            "es",
            "¿El país tiene un plan nacional contra la trata vigente?",
            "La fecha no puede ser futura.",
        ),
        (
            "pt-br",
            "O país tem um plano nacional contra o tráfico vigente?",
            "A data não pode ser futura.",
        ),
        (
            "en",
            "Does the country have a national plan against trafficking in force?",
            "The date cannot be in the future.",
        ),
    ],
)
def test_the_form_guide_is_printable_in_each_language(framework, login, lang, label, message):
    client = login("analyst.pe")
    url = reverse("indicators:survey_guide", kwargs={"form_id": "quipu_baseline"})
    page = client.get(f"{url}?lang={lang}").content.decode()
    assert label in page and message in page
    indicator = Indicator.objects.get(code="PREV-01")
    with translation.override(lang):
        reference = escape(reference_text(indicator.reference))  # shipped references are translated
    assert lang == "en" or reference != escape(indicator.reference)
    assert "PREV-01" in page and reference in page
    assert "«" in page  # skip logic shown with question labels, not paths


def test_the_secretariat_imports_the_htcds_xlsform_through_the_page(framework, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = shared_reference(*HTCDS)
    client = login("secretariat")
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post(reverse("indicators:survey_import"), {"file": upload})
    assert response.status_code == 302
    assert Survey.objects.filter(form_id="htcds_xlsform").exists()
    assert AuditEntry.objects.filter(object_type="indicators.survey").exists()
    page = client.get(reverse("indicators:survey_fill", kwargs={"form_id": "htcds_xlsform"}))
    assert page.status_code == 200 and b"Citizenship" in page.content
    focal = login("focal.co")
    assert focal.post(reverse("indicators:survey_import"), {}).status_code == 403

"""Importing XLSForms: IOM's HTCDS form unchanged, the project's baseline, and broken forms."""

import pytest
from django.core.management import call_command
from django.utils import translation

from quipu.indicators.baseline_form import BASELINE_FILE, baseline_form_workbook
from quipu.indicators.models import Computation, Indicator, Survey
from quipu.indicators.surveys import SurveyInvalid, survey_store
from quipu.indicators.xlsform.definition import form_definition
from quipu.indicators.xlsform.engine import form_fill
from quipu.indicators.xlsform.importer import xlsform_convert
from tests.conftest import shared_reference
from tests.indicators.conftest import FEATURES_CHOICES, FEATURES_SETTINGS, xlsform_bytes

pytestmark = pytest.mark.django_db


def test_the_htcds_xlsform_imports_unchanged_from_the_command_line(framework, capsys):
    path = shared_reference("htcds", "Toolkit", "Survey", "htcds_xlsform.xlsx")
    call_command("survey", "import", str(path))
    survey = Survey.objects.get(form_id="htcds_xlsform")
    assert survey.version == "vSmt4GQA3C9uBMLPEVfgND"
    names = list(survey.questions.values_list("name", flat=True))
    assert {"prs_Gender", "vic_TypeOfExploitation", "cas_IncomingReferralDate"} <= set(names)
    assert len(names) == 34
    with translation.override("en"):  # the default language is Spanish
        call_command("survey", "import", str(path))
    assert "nothing changed" in capsys.readouterr().out
    assert Survey.objects.filter(form_id="htcds_xlsform").count() == 1
    # Its web form works: nothing in it is required, so a blank answer passes.
    form = form_fill(form_definition(survey), {}, language="", check=True)
    assert form.is_valid
    gender = next(node for node in form.walk() if node.question.name == "prs_Gender")
    assert gender.widget == "radio" and len(gender.choices_shown) == 6
    citizenship = next(node for node in form.walk() if node.question.name == "prs_Citizenship")
    assert citizenship.widget == "select"


def test_the_baseline_form_covers_every_axis_and_every_survey_indicator(framework):
    survey = Survey.objects.get(form_id="quipu_baseline")
    assert survey.languages == ["Español (es)", "Português (pt)", "English (en)"]
    fed = set(survey.questions.exclude(indicator=None).values_list("indicator__code", flat=True))
    survey_indicators = set(
        Indicator.objects.filter(computation=Computation.SURVEY).values_list("code", flat=True)
    )
    assert survey_indicators - fed == set()
    axes = set(Indicator.objects.filter(code__in=fed).values_list("axis__code", flat=True))
    assert axes == {"PREV", "PROT", "PROS", "COOP"}
    kinds = set(survey.questions.values_list("question_type", flat=True))
    assert {
        "text",
        "integer",
        "decimal",
        "date",
        "select one",
        "select all that apply",
        "note",
        "calculate",
        "group",
        "repeat",
    } <= kinds


def test_the_shipped_baseline_file_is_what_the_builder_makes():
    shipped = xlsform_convert(BASELINE_FILE.read_bytes(), BASELINE_FILE.name).survey_json
    built = xlsform_convert(baseline_form_workbook(), BASELINE_FILE.name).survey_json
    assert shipped == built


def test_a_new_version_is_a_new_survey_and_the_same_file_changes_nothing(framework, features_form):
    first, outcome = survey_store(content=features_form, file_name="features.xlsx")
    assert outcome == "created"
    again, outcome = survey_store(content=features_form, file_name="features.xlsx")
    assert (again.pk, outcome) == (first.pk, "unchanged")
    from tests.indicators.conftest import FEATURES_SURVEY

    newer = xlsform_bytes(FEATURES_SURVEY, FEATURES_CHOICES, {**FEATURES_SETTINGS, "version": "2"})
    second, outcome = survey_store(content=newer, file_name="features.xlsx")
    assert outcome == "created" and second.pk != first.pk
    assert first.questions.get(name="has_plan").indicator.code == "PREV-01"


def test_forms_with_bad_expressions_or_unknown_indicators_are_refused(framework):
    header = ["type", "name", "label", "relevant", "quipu_indicator"]
    bad_expression = xlsform_bytes(
        [header, ["integer", "a", "A", "", ""], ["text", "b", "B", "${a} >>> 3", ""]]
    )
    with pytest.raises(SurveyInvalid) as caught:
        survey_store(content=bad_expression, file_name="bad.xlsx")
    assert "b" in caught.value.problems[0] and "relevant" in caught.value.problems[0]
    unknown = xlsform_bytes([header, ["integer", "a", "A", "", "NOPE-1"]])
    with pytest.raises(SurveyInvalid) as caught:
        survey_store(content=unknown, file_name="unknown.xlsx")
    assert "NOPE-1" in caught.value.problems[0]
    pyxform_error = xlsform_bytes([header, ["begin_group", "g", "G", "", ""]])
    with pytest.raises(SurveyInvalid):
        survey_store(content=pyxform_error, file_name="unclosed.xlsx")
    with pytest.raises(SurveyInvalid):
        survey_store(content=b"not a spreadsheet", file_name="junk.xlsx")
    assert not Survey.objects.exclude(form_id="quipu_baseline").exists()


def test_framework_commands_export_and_import(framework, tmp_path, capsys):
    out = tmp_path / "framework.xlsx"
    call_command("indicators", "framework-export", str(out))
    with translation.override("pt-br"):
        call_command("indicators", "framework-import", str(out))
    assert "0 novos, 0 atualizados" in capsys.readouterr().out

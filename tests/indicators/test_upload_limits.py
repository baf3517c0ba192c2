"""Bounded input for the indicator uploads (issue 13, finding 8): the framework workbook, an
XLSForm and a Kobo export are held to the same limits as case imports, refused whole with a
message that names the limit, and nothing is written."""

import json

import pytest
from django.utils import translation

from quipu.indicators.kobo_import import KoboImportInvalid
from quipu.indicators.models import Indicator, Survey
from quipu.indicators.services import FrameworkInvalid, framework_export, framework_import
from quipu.indicators.surveys import SurveyInvalid, survey_store
from tests.indicators.test_kobo import _csv, _import, _kobo_answers, _submission, survey_round
from tests.intake.hostile_files import zip_bomb_xlsx

pytestmark = pytest.mark.django_db
__all__ = ["survey_round"]  # the fixture, shared with test_kobo


def _bomb(tmp_path, settings) -> bytes:
    settings.QUIPU_IMPORT_MAX_UNPACKED_MB = 8
    return zip_bomb_xlsx(tmp_path / "bomb.xlsx", unpacked_mb=16).read_bytes()


def test_a_zip_bomb_framework_workbook_is_refused_by_its_unpacked_size(
    framework, region, tmp_path, settings
):
    before = list(Indicator.objects.values_list("code", "name_en", "is_active"))
    with pytest.raises(FrameworkInvalid) as caught, translation.override("en"):
        framework_import(
            actor=region.user("secretariat"),
            content=_bomb(tmp_path, settings),
            file_name="framework.xlsx",
        )
    [error] = caught.value.errors
    assert error.message == ("The file unpacks to more than 8 MB, the most an import may hold.")
    assert list(Indicator.objects.values_list("code", "name_en", "is_active")) == before


def test_a_framework_sheet_past_the_row_limit_is_refused_naming_the_row(
    framework, region, settings
):
    content = framework_export(actor=region.user("secretariat"))
    settings.QUIPU_IMPORT_MAX_ROWS = 5
    with pytest.raises(FrameworkInvalid) as caught, translation.override("en"):
        framework_import(actor=region.user("secretariat"), content=content, file_name="f.xlsx")
    [error] = caught.value.errors
    assert error.message.endswith("the file has more than 5 rows, the most allowed.")


def test_a_zip_bomb_xlsform_is_refused_before_pyxform_loads_it(framework, tmp_path, settings):
    with pytest.raises(SurveyInvalid) as caught, translation.override("en"):
        survey_store(content=_bomb(tmp_path, settings), file_name="form.xlsx")
    assert caught.value.problems == [
        "The file unpacks to more than 8 MB, the most an import may hold."
    ]
    assert not Survey.objects.exclude(form_id="quipu_baseline").exists()


def test_a_kobo_csv_with_a_million_columns_is_refused_naming_the_limit(region, survey_round):
    content = _csv([{"institution_code": "CO-POLICE", **_kobo_answers()}], delimiter=",")
    header, rest = content.split(b"\r\n", 1)
    wide = header + b',"x"' * 1_000_000 + b"\r\n" + rest
    with pytest.raises(KoboImportInvalid) as caught, translation.override("en"):
        _import(region.user("focal.co"), survey_round, wide)
    assert [str(p) for p in caught.value.problems] == [
        "Row 1 has more than 1000 columns, the most allowed."
    ]
    assert _submission(survey_round, "CO-POLICE").state == "not_started"


def test_a_kobo_cell_past_the_cell_limit_is_refused_as_too_long(region, survey_round):
    answers = _kobo_answers()
    long_key = next(key for key in answers if key.startswith("prevention/"))
    answers[long_key] = "Z" * 40_000
    content = _csv([{"institution_code": "CO-POLICE", **answers}], delimiter=",")
    with pytest.raises(KoboImportInvalid) as caught, translation.override("en"):
        _import(region.user("focal.co"), survey_round, content)
    [problem] = caught.value.problems
    assert str(problem) == "Row 2: a cell is longer than 32767 characters, the most allowed."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_a_kobo_csv_in_utf16_or_utf8_with_a_byte_order_mark_is_read(region, survey_round, encoding):
    content = _csv([{"institution_code": "CO-POLICE", **_kobo_answers()}], delimiter=";")
    result = _import(region.user("focal.co"), survey_round, content.decode().encode(encoding))
    assert result.imported == [_submission(survey_round, "CO-POLICE")]


def test_a_kobo_json_answer_past_the_cell_limit_is_named_by_row_and_field(
    region, survey_round, settings
):
    settings.QUIPU_IMPORT_MAX_CELL_CHARS = 100
    answers = _kobo_answers()
    long_key = next(key for key in answers if key.startswith("prevention/"))
    record = {**answers, "institution_code": "CO-POLICE", long_key: "Z" * 101}
    content = json.dumps({"count": 1, "next": None, "results": [record]}).encode()
    with pytest.raises(KoboImportInvalid) as caught, translation.override("en"):
        _import(region.user("focal.co"), survey_round, content)
    too_long = "This answer is longer than 100 characters, the most allowed."
    assert (1, long_key, too_long) in [(p.row, p.field, p.message) for p in caught.value.problems]

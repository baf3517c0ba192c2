"""The default framework, its formulas, and the XLSX round trip with its error reporting."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from quipu.audit.models import AuditEntry
from quipu.errors import NotAllowed
from quipu.indicators.formulas import FormulaError, formula_check, indicator_formula_value
from quipu.indicators.models import Axis, Computation, Indicator, Population, Unit
from quipu.indicators.services import FrameworkInvalid, framework_export, framework_import
from quipu.tenancy.countries import REGIONAL_PLATFORM

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return list(
        Indicator.objects.order_by("code").values_list(
            "code",
            "axis__code",
            "name_es",
            "name_pt",
            "name_en",
            "definition_en",
            "unit",
            "disaggregations",
            "computation",
            "case_measure",
            "aggregation",
            "numerator",
            "denominator",
            "factor",
            "reference",
            "responsible_kind",
            "is_active",
        )
    )


def test_default_framework_has_about_30_cited_indicators_on_every_axis(framework):
    indicators = Indicator.objects.filter(is_active=True)
    assert 28 <= indicators.count() <= 40
    assert set(Axis.objects.values_list("code", flat=True)) == {"PREV", "PROT", "PROS", "COOP"}
    for axis in Axis.objects.all():
        assert axis.indicators.count() >= 5, axis.code
    for indicator in indicators:
        assert indicator.reference and indicator.name_es and indicator.name_pt
        assert indicator.definition_es and indicator.definition_pt and indicator.definition_en
    kinds = set(indicators.values_list("computation", flat=True))
    assert kinds == {Computation.CASE_DATA, Computation.SURVEY, Computation.FORMULA}


def test_sdg_16_2_2_is_detected_victims_per_100000_population(framework):
    sdg = Indicator.objects.get(reference__contains="SDG indicator 16.2.2")
    assert sdg.unit == Unit.RATE_100K
    assert (sdg.numerator, sdg.denominator, sdg.factor) == ("#{PROT-01}", "#{POPULATION}", 100000)
    assert set(sdg.disaggregations) == {"sex", "age_group", "exploitation"}
    colombia = Population.objects.get(country_code="CO", year=2024).population
    value = indicator_formula_value(
        numerator=sdg.numerator,
        denominator=sdg.denominator,
        factor=sdg.factor,
        values={"PROT-01": Decimal(529), "POPULATION": Decimal(colombia)},
    )
    # By hand: 529 / 52,886,363 x 100,000 = 1.00025...
    assert round(value, 4) == Decimal("1.0003")


def test_population_figures_cover_the_ten_member_states_with_a_year_and_source(framework):
    rows = Population.objects.filter(year=2024)
    assert sorted(rows.values_list("country_code", flat=True)) == sorted(REGIONAL_PLATFORM)
    assert all("World Population Prospects 2024" in row.source for row in rows)
    assert rows.get(country_code="BR").population > rows.get(country_code="UY").population


def test_formulas_accept_arithmetic_only():
    assert formula_check("(#{A} + #{B-2}) * 2 - 1") == ["A", "B-2"]
    for bad in ("__import__('os')", "#{A} ** 2", "#{A}.real", "#{A} if 1 else 2", "[1]", "#{A"):
        with pytest.raises(FormulaError):
            formula_check(bad)


def test_formula_value_is_none_without_data_or_on_zero_denominator():
    values = {"A": Decimal(3), "B": Decimal(0)}
    assert (
        indicator_formula_value(numerator="#{A}", denominator="#{B}", factor=100, values=values)
        is None
    )
    assert (
        indicator_formula_value(numerator="#{C}", denominator="", factor=1, values=values) is None
    )
    assert indicator_formula_value(
        numerator="#{A}", denominator="#{A} * 2", factor=100, values=values
    ) == Decimal(50)


def test_xlsx_export_then_import_changes_nothing(framework, region):
    secretariat = region.user("secretariat")
    before = snapshot()
    content = framework_export(actor=secretariat)
    counts = framework_import(actor=secretariat, content=content, file_name="framework.xlsx")
    assert counts == {"created": 0, "updated": 0, "unchanged": len(before), "deactivated": 0}
    assert snapshot() == before
    # Twice the same file, the same database.
    framework_import(actor=secretariat, content=content, file_name="framework.xlsx")
    assert snapshot() == before


def _edited(content: bytes, edits: dict[tuple[int, str], object], drop_row: int | None = None):
    book = load_workbook(BytesIO(content))
    sheet = book["indicators"]
    header = [cell.value for cell in sheet[1]]
    for (row, column), value in edits.items():
        sheet.cell(row=row, column=header.index(column) + 1, value=value)
    if drop_row:
        sheet.delete_rows(drop_row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_updates_and_deactivates_what_the_file_says(framework, region):
    secretariat = region.user("secretariat")
    content = framework_export(actor=secretariat)
    dropped = load_workbook(BytesIO(content))["indicators"].cell(row=4, column=1).value
    edited = _edited(content, {(2, "name_en"): "Renamed"}, drop_row=4)
    counts = framework_import(actor=secretariat, content=edited, file_name="f.xlsx")
    assert (counts["updated"], counts["deactivated"]) == (1, 1)
    assert Indicator.objects.get(name_en="Renamed")
    assert not Indicator.objects.get(code=dropped).is_active
    assert AuditEntry.objects.filter(
        object_type="indicators.indicator", detail__via="xlsx"
    ).exists()


def test_import_errors_name_row_and_column_and_nothing_is_written(framework, region):
    secretariat = region.user("secretariat")
    before = snapshot()
    content = framework_export(actor=secretariat)
    broken = _edited(
        content,
        {
            (2, "name_en"): "A valid change that must not be kept",
            (3, "unit"): "litres",
            (5, "name_pt"): "",
            (6, "disaggregations"): "sex,shoe_size",
            (7, "computation"): "formula",
            (7, "numerator"): "#{NOPE} / 2",
            (8, "axis"): "NOAXIS",
        },
    )
    with translation.override("es"), pytest.raises(FrameworkInvalid) as caught:
        framework_import(actor=secretariat, content=broken, file_name="f.xlsx")
    found = {(error.sheet, error.row, error.column) for error in caught.value.errors}
    assert {
        ("indicators", 3, "unit"),
        ("indicators", 5, "name_pt"),
        ("indicators", 6, "disaggregations"),
        ("indicators", 7, "numerator"),
        ("indicators", 8, "axis"),
    } <= found
    assert all(error.message for error in caught.value.errors)
    # Translated, naming sheet, row and column (rule 4).
    unit_error = next(e for e in caught.value.errors if e.row == 3)
    with translation.override("es"):
        assert str(unit_error).startswith("Hoja indicators, fila 3, columna unit: ")
        assert "litres" in unit_error.message and "no es uno de" in unit_error.message
    with translation.override("en"):
        assert str(unit_error).startswith("Sheet indicators, row 3, column unit: ")
    assert snapshot() == before


def test_formulas_that_go_round_in_a_circle_are_refused(framework, region):
    secretariat = region.user("secretariat")
    content = framework_export(actor=secretariat)
    book = load_workbook(BytesIO(content))
    header = [cell.value for cell in book["indicators"][1]]
    rows = {row[0].value: row[0].row for row in book["indicators"].iter_rows(min_row=2)}
    edits = {
        (rows["PROT-04"], "numerator"): "#{PROT-06}",
        (rows["PROT-06"], "numerator"): "#{PROT-04}",
    }
    assert "numerator" in header
    with pytest.raises(FrameworkInvalid) as caught:
        framework_import(actor=secretariat, content=_edited(content, edits), file_name="f.xlsx")
    assert {error.row for error in caught.value.errors} == {rows["PROT-04"], rows["PROT-06"]}


def test_a_file_that_is_not_a_workbook_is_refused_whole(framework, region):
    with pytest.raises(FrameworkInvalid) as caught:
        framework_import(
            actor=region.user("secretariat"), content=b"code,name\n", file_name="f.xlsx"
        )
    assert len(caught.value.errors) == 1


def test_only_the_secretariat_imports_the_framework(framework, region):
    content = framework_export(actor=region.user("secretariat"))
    for username in ("focal.co", "analyst.br", "caseworker.pe"):
        with pytest.raises(NotAllowed):
            framework_import(actor=region.user(username), content=content, file_name="f.xlsx")


def test_quipu_demo_puts_back_the_framework_and_baseline_survey(db):
    from io import StringIO

    from quipu.indicators.demo import demo_build
    from quipu.indicators.models import Survey

    Indicator.objects.all().delete()
    Survey.objects.all().delete()
    out = StringIO()
    demo_build(stdout=out)
    assert Indicator.objects.count() >= 28
    assert Survey.objects.filter(form_id="quipu_baseline").exists()
    assert str(Indicator.objects.count()) in out.getvalue()

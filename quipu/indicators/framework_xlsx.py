"""The framework as an XLSX workbook: sheet `axes` and sheet `indicators`, one row each."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from quipu.file_limits import FileRefused, cells_check, import_limits, row_number_check, xlsx_check
from quipu.indicators.framework import AXIS_COLUMNS, INDICATOR_COLUMNS, RowError
from quipu.indicators.models import (
    Aggregation,
    Axis,
    CaseMeasure,
    Computation,
    DataSource,
    Indicator,
    Periodicity,
    Unit,
)
from quipu.tenancy.models import InstitutionKind

Rows = list[tuple[int, dict]]


def _indicator_cells(indicator: Indicator) -> list:
    cells = []
    for column in INDICATOR_COLUMNS:
        if column == "axis":
            cells.append(indicator.axis.code)
        elif column == "disaggregations":
            cells.append(",".join(indicator.disaggregations))
        elif column == "is_active":
            cells.append("yes" if indicator.is_active else "no")
        elif column == "factor":
            cells.append(indicator.factor)
        else:
            cells.append(getattr(indicator, column))
    return cells


def framework_workbook(axes, indicators) -> bytes:
    """The workbook for the given axes and indicators (already ordered)."""
    book = Workbook()
    axes_sheet = book.active
    axes_sheet.title = "axes"
    axes_sheet.append(AXIS_COLUMNS)
    for axis in axes:
        axes_sheet.append([getattr(axis, column) for column in AXIS_COLUMNS])
    sheet = book.create_sheet("indicators")
    sheet.append(INDICATOR_COLUMNS)
    for indicator in indicators:
        sheet.append(_indicator_cells(indicator))
    for each in (axes_sheet, sheet):
        for cell in each[1]:
            cell.font = Font(bold=True)
        each.freeze_panes = "B2"
    _choice_lists(book, sheet)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


CHOICE_COLUMNS = {
    "unit": Unit,
    "periodicity": Periodicity,
    "data_source": DataSource,
    "responsible_kind": InstitutionKind,
    "computation": Computation,
    "case_measure": CaseMeasure,
    "aggregation": Aggregation,
}


def _choice_lists(book, sheet) -> None:
    """Drop-down lists for the coded columns, from a hidden sheet the import ignores."""
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    rows = max(sheet.max_row, 2) + 200
    for number, (column, choices) in enumerate(CHOICE_COLUMNS.items(), start=1):
        letter = get_column_letter(number)
        lists.cell(row=1, column=number, value=column)
        for row, value in enumerate(choices.values, start=2):
            lists.cell(row=row, column=number, value=value)
        source = f"lists!${letter}$2:${letter}${len(choices.values) + 1}"
        target = get_column_letter(INDICATOR_COLUMNS.index(column) + 1)
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        validation.add(f"{target}2:{target}{rows}")
        sheet.add_data_validation(validation)


def _sheet_rows(book, name: str, columns: list[str], errors: list[RowError]) -> Rows:
    if name not in book.sheetnames:
        errors.append(
            RowError(
                name, 1, "—", _("The workbook has no sheet named %(sheet)s.") % {"sheet": name}
            )
        )
        return []
    rows = book[name].iter_rows(values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    missing = [column for column in columns if column not in header]
    for column in missing:
        errors.append(RowError(name, 1, column, _("This column is missing.")))
    if missing:
        return []
    found = []
    limits = import_limits()
    for number, row in enumerate(rows, start=2):
        row_number_check(number, limits)
        if row is None or all(cell in (None, "") for cell in row):
            continue
        cells_check(number, [str(c) for c in row if c is not None], limits)
        found.append((number, {header[i]: row[i] for i in range(min(len(header), len(row)))}))
    return found


def framework_workbook_read(content: bytes) -> tuple[Rows, Rows, list[RowError]]:
    """(axes rows, indicator rows, errors) of an uploaded workbook; rows keep their numbers."""
    errors: list[RowError] = []
    try:
        xlsx_check(BytesIO(content), all_sheets=True)  # bounded before openpyxl reads it
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except FileRefused as refused:
        return [], [], [RowError("—", refused.row, refused.column or "—", refused.message)]
    except Exception:  # noqa: BLE001 - openpyxl, zipfile and the XML parser each fail their way
        return [], [], [RowError("—", 0, "—", _("This is not an XLSX workbook."))]
    try:
        axes = _sheet_rows(book, "axes", AXIS_COLUMNS, errors)
        indicators = _sheet_rows(book, "indicators", INDICATOR_COLUMNS, errors)
    except FileRefused as refused:
        return [], [], [RowError("—", refused.row, refused.column or "—", refused.message)]
    except Exception:  # noqa: BLE001 - a part of the zip damaged past what the check reads
        return [], [], [RowError("—", 0, "—", _("This is not an XLSX workbook."))]
    finally:
        book.close()
    return axes, indicators, errors


def framework_export_bytes() -> bytes:
    return framework_workbook(Axis.objects.all(), Indicator.objects.select_related("axis").all())

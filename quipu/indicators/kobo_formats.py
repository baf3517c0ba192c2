"""Reading the two layouts of a KoboToolbox export (see kobo.py) into rows of answers keyed
as the form engine keeps them; problems of a row stay on the row, a file that cannot be read
at all raises KoboFileInvalid."""

import csv
import io
import json

from django.utils.translation import gettext as _

from quipu.file_limits import (
    CELL_TOO_LONG,
    FileRefused,
    bom_encoding,
    cells_check,
    import_limits,
)
from quipu.indicators.kobo import (
    INSTITUTION_COLUMN,
    UUID_COLUMN,
    KoboFile,
    KoboFileInvalid,
    KoboForm,
    KoboRow,
    Problem,
)
from quipu.indicators.xlsform.definition import FormDefinition, Question
from quipu.indicators.xlsform.engine import COUNT_PREFIX, MAX_REPEATS

MAX_ROWS = 500
CHECKED = {"1", "true", "True", "TRUE"}  # a ticked option in Kobo's per-option columns


def kobo_read(*, content: bytes, definition: FormDefinition) -> KoboFile:
    """The rows of a Kobo CSV or JSON export of `definition`; KoboFileInvalid for a file that
    cannot be read at all. Row-level problems are kept on each row."""
    text = _decoded(content)
    form = KoboForm(definition)
    if text.lstrip()[:1] in ("{", "["):
        rows, source = _json_rows(text, form), "json"
    else:
        rows, source = _csv_rows(text, form), "csv"
    if not rows:
        raise KoboFileInvalid([Problem(_("The file has no submissions."))])
    if len(rows) > MAX_ROWS:
        raise KoboFileInvalid(
            [Problem(_("A file may hold at most %(max)s submissions.") % {"max": MAX_ROWS})]
        )
    for row in rows:
        _counts_fill(definition.children, definition.root, row.answers)
    return KoboFile(source=source, rows=rows)


def _decoded(content: bytes) -> str:
    if content[:2] == b"PK":
        raise KoboFileInvalid(
            [Problem(_("Export the submissions from KoboToolbox as CSV or JSON, not XLS."))]
        )
    for encoding in (bom_encoding(content) or "utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise KoboFileInvalid([Problem(_("The file is not a text file."))])


def _counts_fill(questions: list[Question], base: str, answers: dict[str, str]) -> None:
    """Every repeat gets its number of entries, 0 when the file has none (the engine would
    otherwise show one empty entry, whose required questions would fail)."""
    for question in questions:
        path = f"{base}/{question.name}"
        if question.kind == "repeat":
            count = answers.setdefault(COUNT_PREFIX + path, "0")
            for position in range(1, int(count) + 1):
                _counts_fill(question.children, f"{path}[{position}]", answers)
        elif question.kind == "group":
            _counts_fill(question.children, path, answers)


# CSV ---------------------------------------------------------------------------------------


def _delimiter(header_line: str) -> str:
    """Kobo writes `;` by default and `,` when asked; headers never contain either."""
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=counts.__getitem__)


def _csv_rows(text: str, form: KoboForm) -> list[KoboRow]:
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text.lstrip("\r\n")), delimiter=_delimiter(first_line))
    limits = import_limits()
    csv.field_size_limit(limits.cell_chars)  # process-wide, so set for each read
    try:
        header = [cell.strip() for cell in next(reader)]
        table = list(reader)
        for number, cells in enumerate([header, *table], start=1):
            cells_check(number, cells, limits, header)
    except StopIteration:
        raise KoboFileInvalid([Problem(_("The file is empty."))]) from None
    except FileRefused as refused:
        raise KoboFileInvalid([Problem(refused.message)]) from None
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            too_long = FileRefused(
                CELL_TOO_LONG, code="cell_too_long", row=reader.line_num, limit=limits.cell_chars
            )
            raise KoboFileInvalid([Problem(too_long.message)]) from None
        raise KoboFileInvalid([Problem(_("The file is not a valid CSV file."))]) from None
    unknown = [h for h in header if h and not _known(h, form)]
    if unknown and any(form.is_label(h) for h in unknown):
        raise KoboFileInvalid(
            [
                Problem(
                    _(
                        "The file was exported with labels. Export it again from KoboToolbox "
                        "choosing “XML values and headers”."
                    )
                )
            ]
        )
    summaries = {form.question(h).path for h in header if form.question(h)}
    if not summaries:
        raise KoboFileInvalid(
            [Problem(_("No column of the file is a question of the round's form."))]
        )
    rows = []
    for number, cells in enumerate(table, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = KoboRow(number=number)
        options: dict[str, list[str]] = {}
        for position, cell in enumerate(cells):
            value = cell.strip()
            if position >= len(header):
                if value:
                    row.problem(
                        _("column %(number)s") % {"number": position + 1},
                        _("This cell has no column header."),
                    )
                continue
            _csv_cell(row, form, header[position], value, options, summaries)
        for path, chosen in options.items():
            row.answers[path] = " ".join(chosen)
        rows.append(row)
    return rows


def _known(header: str, form: KoboForm) -> bool:
    return bool(
        header == INSTITUTION_COLUMN
        or form.question(header)
        or form.is_meta(header)
        or form.select_multiple_of(header)
    )


def _csv_cell(row, form, header, value, options, summaries) -> None:
    if header == INSTITUTION_COLUMN:
        row.institution_code = value
        return
    if header == UUID_COLUMN:
        row.uuid = value[:64]
    question = form.question(header)
    if question is None:
        parent = form.select_multiple_of(header)
        if parent is not None and parent.path not in summaries and value in CHECKED:
            options.setdefault(parent.path, []).append(header.rpartition("/")[2])
        elif not (parent or form.is_meta(header)) and value:
            row.problem(header, _("This column is not a question of the round's form."))
        return
    if form.is_meta(header) or not value:
        return
    if question.kind == "repeat" or form.in_repeat(question):
        row.problem(
            header,
            _("Kobo's CSV export holds no repeat entries: import its JSON export instead."),
        )
        return
    _answer(row, question, question.path, value, header)


def _answer(row: KoboRow, question: Question, path: str, value: str, column: str) -> None:
    """Keep an answer the person gave; groups, notes and calculations are the form's own."""
    if question.kind in ("group", "note", "calculate") or not question.has_control:
        return
    row.answers[path] = value
    if column:
        row.columns[path] = column


# JSON --------------------------------------------------------------------------------------


def _json_rows(text: str, form: KoboForm) -> list[KoboRow]:
    try:
        data = json.loads(text)
    except ValueError:
        raise KoboFileInvalid([Problem(_("The file is not valid JSON."))]) from None
    records = data.get("results") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise KoboFileInvalid(
            [Problem(_("The JSON file is not a KoboToolbox export: it has no results list."))]
        )
    rows = []
    for number, record in enumerate(records, start=1):
        row = KoboRow(number=number)
        if not isinstance(record, dict):
            row.problem("—", _("This entry is not a submission."))
        else:
            row.institution_code = _scalar(record.get(INSTITUTION_COLUMN)) or ""
            row.uuid = (_scalar(record.get(UUID_COLUMN)) or "")[:64]
            _json_entry(row, form, record, form.root, form.root)
        rows.append(row)
    return rows


def _json_entry(row: KoboRow, form: KoboForm, record: dict, base: str, scope: str) -> None:
    """One submission, or one repeat entry: `base` is its path with positions, `scope` the
    path of its container in the form."""
    for key, value in record.items():
        key = str(key)
        if key == INSTITUTION_COLUMN or (base == form.root and form.is_meta(key)):
            continue
        question = form.question(key)
        if question is None:
            if not form.select_multiple_of(key) and not form.is_meta(key):
                row.problem(key, _("This key is not a question of the round's form."))
            continue
        if form.container[question.path] != scope:
            row.problem(
                key, _("This question is out of place: a repeat's questions belong in its entries.")
            )
            continue
        path = base + question.path.removeprefix(scope)
        if question.kind == "repeat":
            _json_repeat(row, form, question, path, key, value)
            continue
        answer = _scalar(value)
        if answer is None:
            row.problem(key, _("This answer is not a single value."))
        elif len(answer) > import_limits().cell_chars:
            row.problem(
                key,
                _("This answer is longer than %(limit)s characters, the most allowed.")
                % {"limit": import_limits().cell_chars},
            )
        elif answer:
            _answer(row, question, path, answer, "")


def _json_repeat(row, form, question: Question, path: str, key: str, entries) -> None:
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        row.problem(key, _("A repeat must be a list of entries."))
        return
    if len(entries) > MAX_REPEATS:
        row.problem(key, _("Too many entries: at most %(max)s.") % {"max": MAX_REPEATS})
        return
    row.answers[COUNT_PREFIX + path] = str(len(entries))
    for position, entry in enumerate(entries, start=1):
        _json_entry(row, form, entry, f"{path}[{position}]", question.path)


def _scalar(value) -> str | None:
    """A JSON value as the text an XForm holds; None for what cannot be one answer."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int | float):
        return str(value).strip()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return " ".join(v.strip() for v in value if v.strip())  # a select_multiple as a list
    return None

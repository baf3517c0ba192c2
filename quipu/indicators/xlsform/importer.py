"""XLSForm files in: pyxform converts them; every expression is checked with our evaluator's
parser before anything is stored, so a form that imports is a form that runs."""

import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from django.utils.translation import gettext as _
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from quipu.file_limits import FileRefused, xlsx_check
from quipu.indicators.xlsform.definition import (
    FormDefinition,
    Question,
    form_definition_build,
    text_in,
)
from quipu.indicators.xlsform.expressions import ExpressionError, xpath_check

_EXPRESSIONS = ("required", "relevant", "constraint", "calculate", "repeat_count")


class XLSFormInvalid(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class ConvertedForm:
    survey_json: dict
    xform: str
    definition: FormDefinition
    warnings: list[str] = field(default_factory=list)

    @property
    def form_id(self) -> str:
        return str(self.survey_json.get("id_string") or self.survey_json.get("name") or "")

    @property
    def version(self) -> str:
        return str(self.survey_json.get("version") or "")

    @property
    def title(self) -> str:
        return str(self.survey_json.get("title") or self.form_id)

    def questions(self) -> list[Question]:
        return list(self.definition.walk())


def _local_name(file_name: str) -> str:
    """A safe file name with the upload's stem: pyxform takes the form id from it when the
    settings sheet has none, as the XLSForm spec says."""
    path = PurePath(file_name.replace("\\", "/"))
    suffix = path.suffix.lower() if path.suffix.lower() in (".xlsx", ".xlsm", ".xls") else ".xlsx"
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", path.stem).strip("_") or "form"
    return stem[:80] + suffix


def xlsform_convert(content: bytes, file_name: str) -> ConvertedForm:
    """Convert an XLSForm; raise XLSFormInvalid with every problem found."""
    if content[:2] == b"PK":  # an XLSX: bounded before pyxform loads every sheet whole
        try:
            xlsx_check(io.BytesIO(content), all_sheets=True)
        except FileRefused as refused:
            raise XLSFormInvalid([refused.message]) from None
    try:
        with tempfile.TemporaryDirectory() as folder:
            local = Path(folder) / _local_name(file_name)
            local.write_bytes(content)
            result = convert(xlsform=str(local), warnings=[])
    except PyXFormError as error:
        raise XLSFormInvalid(
            [_("The XLSForm is not valid: %(reason)s") % {"reason": error}]
        ) from None
    except Exception:  # noqa: BLE001 - pyxform raises several kinds on a file it cannot read
        raise XLSFormInvalid([_("This file cannot be read as an XLSForm.")]) from None
    survey_json = result._pyxform
    definition = form_definition_build(survey_json, result.xform)
    problems = []
    for question in definition.walk():
        for column in _EXPRESSIONS:
            expression = getattr(question, column)
            if not expression:
                continue
            try:
                xpath_check(expression)
            except ExpressionError:
                problems.append(
                    _("Question %(name)s, column %(column)s: the expression cannot be read.")
                    % {"name": question.name, "column": column}
                )
    if problems:
        raise XLSFormInvalid(problems)
    return ConvertedForm(survey_json, result.xform, definition, list(result.warnings or []))


def label_for(question: Question, language: str, default: str) -> str:
    return text_in(question.label, language, default) or question.name

"""Reading one row's cells for a file format, collecting every error instead of stopping."""

from django.core.exceptions import ValidationError

from quipu.cases import validation
from quipu.intake.records import RowError


class RowCells:
    """A row's values by column; formats add their own readers (codes, countries, yes/no)."""

    def __init__(self, values: dict[str, str], row: int):
        self.values, self.row, self.errors = values, row, []

    def column_label(self, name: str) -> str:
        """The column's name as the user sees it in the file."""
        return name

    def text(self, name: str) -> str:
        return (self.values.get(name) or "").strip()

    def fail(self, name: str, message, params=None) -> None:
        self.errors.append(RowError(self.row, self.column_label(name), message, params))

    def check(self, name: str, function, *args, **kwargs):
        """`function(*args)`, or None with the ValidationError recorded against the column."""
        try:
            return function(*args, **kwargs)
        except ValidationError as error:
            self.fail(name, error.message, error.params)
            return None

    def date(self, name: str):
        value = self.text(name)
        return self.check(name, validation.date_parse, value[:10]) if value else None

"""Reading KoboToolbox exports of a round's XLSForm into answers keyed as the form engine keeps
them (question paths with repeat positions, and `__count__<path>` for each repeat).

Two layouts are read:
- CSV, as Kobo exports it with "XML values and headers": `;` or `,` between cells, headers
  with their group path (`prevention/helpline`) or bare (`helpline`), a select_multiple as one
  cell of space-separated values (Kobo's per-option `question/option` 0/1 columns are only
  read when that cell is missing). Kobo's CSV holds no repeat entries; the JSON layout does.
- JSON, Kobo's API v2 data (`{"count": .., "results": [...]}` or a bare list): keys are full
  paths, and a repeat is a list of entries whose keys are full paths too.

A "labels" export is refused as a whole: labels change with the language and the wording of
the form, values do not. This module holds the vocabulary; kobo_formats.py reads the two
layouts; kobo_import.py checks rules and scope and writes.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from quipu.errors import InvalidInput
from quipu.indicators.xlsform.definition import SELECT_MULTIPLE, FormDefinition, Question

INSTITUTION_COLUMN = "institution_code"
UUID_COLUMN = "_uuid"
# Kobo's own columns. Every other column Kobo adds starts with "_" (such as _xform_id_string);
# `meta/` and `formhub/` hold the instance's metadata.
META_COLUMNS = frozenset(
    {"start", "end", "today", "deviceid", "username", "simserial", "subscriberid"}
    | {"phonenumber", "audit", "__version__", "_version_"}
)
META_PREFIXES = ("_", "meta/", "formhub/")


@dataclass(frozen=True)
class Problem:
    """One reason a file or row cannot be imported; `row` is None for the whole file."""

    message: str
    row: int | None = None
    field: str = ""

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Row %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field or "—",
            "message": self.message,
        }


class KoboFileInvalid(InvalidInput):
    """The file cannot be read as a Kobo export of the form; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(_("Nothing was imported: the file needs correcting."), code="kobo_file")


@dataclass
class KoboRow:
    """One submission of the file: its answers, the institution it names, and its problems."""

    number: int  # CSV: the row as a spreadsheet shows it (header = 1); JSON: 1, 2, ...
    answers: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # answer path -> column in the file
    institution_code: str = ""
    uuid: str = ""
    problems: list[Problem] = field(default_factory=list)

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(message=message, row=self.number, field=column))

    def field_of(self, path: str, root: str) -> str:
        """The column a path came from, else the path as Kobo writes it (no root)."""
        return self.columns.get(path) or path.removeprefix(root + "/")


@dataclass
class KoboFile:
    source: str  # "csv" or "json"
    rows: list[KoboRow]


class KoboForm:
    """The form's questions by Kobo path (`group/name`) and, where unique, by bare name."""

    def __init__(self, definition: FormDefinition):
        self.root = definition.root
        self.definition = definition
        questions = list(definition.walk())
        self.by_path = {q.path.removeprefix(self.root + "/"): q for q in questions}
        names = Counter(q.name for q in questions)
        self.by_name = {q.name: q for q in questions if names[q.name] == 1}
        # Each question's container: the nearest repeat around it, else the form's root.
        self.container: dict[str, str] = {}
        self._contain(definition.children, self.root)
        self.labels = {
            text.strip().casefold()
            for q in questions
            for text in (q.label.values() if isinstance(q.label, dict) else [q.label])
            if text and text.strip() and q.has_control
        }

    def _contain(self, questions: list[Question], container: str) -> None:
        for question in questions:
            self.container[question.path] = container
            inner = question.path if question.kind == "repeat" else container
            self._contain(question.children, inner)

    def in_repeat(self, question: Question) -> bool:
        return self.container[question.path] != self.root

    def question(self, key: str) -> Question | None:
        key = key.strip()
        return self.by_path.get(key) or self.by_name.get(key)

    def is_meta(self, key: str) -> bool:
        found = self.question(key)
        if found is not None:
            return found.is_metadata
        return key in META_COLUMNS or key.startswith(META_PREFIXES)

    def select_multiple_of(self, key: str) -> Question | None:
        """The select_multiple a per-option column (`question/option`) belongs to."""
        head, _sep, _option = key.rpartition("/")
        found = self.question(head) if head else None
        return found if found and found.kind in SELECT_MULTIPLE else None

    def is_label(self, key: str) -> bool:
        return key.strip().casefold() in self.labels or (
            key.rpartition("/")[2].strip().casefold() in self.labels
        )

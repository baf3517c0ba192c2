"""The file formats the importer understands, and how one is chosen for a file."""

from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from quipu.errors import InvalidInput
from quipu.intake.records import CaseRecord, RowError


class FileFormat(Protocol):
    def detect(self, header: list[str]) -> str | None: ...
    def header_columns(self, header: list[str], layout: str) -> list[str]: ...
    def parse_row(
        self, values: dict[str, str], *, row: int, layout: str
    ) -> tuple[CaseRecord | None, list[RowError]]: ...


@dataclass(frozen=True)
class Chosen:
    name: str  # ctdc, htcds, quipu
    layout: str
    module: FileFormat
    columns: list[str]


def _formats() -> dict[str, FileFormat]:
    from quipu.intake.formats import ctdc, htcds, quipu_template

    return {"htcds": htcds, "quipu": quipu_template, "ctdc": ctdc}


FORMAT_NAMES = ("auto", "htcds", "ctdc", "quipu")


def format_choose(header: list[str], requested: str = "auto") -> Chosen:
    """The format named, or the first that recognises the header; InvalidInput otherwise."""
    formats = _formats()
    candidates = formats.items() if requested == "auto" else [(requested, formats.get(requested))]
    for name, module in candidates:
        if module is None:
            break
        layout = module.detect(header)
        if layout:
            return Chosen(name, layout, module, module.header_columns(header, layout))
    raise InvalidInput(
        _("The file's columns match no known format (HTCDS template, CTDC or the Quipu template)."),
        code="unknown_format",
    )

import csv
from pathlib import Path

import pytest

from quipu.intake.formats.quipu_template import COLUMNS


def template_row(**overrides) -> dict[str, str]:
    row = {c.name: c.example for c in COLUMNS}
    row.update(overrides)
    return row


def write_template(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, [c.name for c in COLUMNS])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def template_file(tmp_path):
    def make(rows, name="cases.csv"):
        return write_template(tmp_path / name, rows)

    return make

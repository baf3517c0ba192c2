"""`quipu stats measure` prints a measure's table, exact or suppressed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

pytestmark = pytest.mark.django_db


def run(*arguments: str) -> list[str]:
    out = StringIO()
    with translation.override("en"):
        call_command("stats", "measure", *arguments, stdout=out)
    return out.getvalue().splitlines()


def test_the_command_prints_a_row_per_country_with_translated_headers(stats_cases):
    lines = run("--measure", "victims_detected", "--year", "2023", "--by", "sex",
                "--country", "CO", "--country", "ar")  # fmt: skip
    assert lines[0].split("  ")[0] == "Country"
    assert "Female" in lines[0] and "Other or unknown sex" in lines[0] and "Total" in lines[0]
    assert lines[1].split() == ["CO", "2", "2", "2", "6"]
    assert lines[2].split() == ["AR", "2", "1", "0", "3"]


def test_the_command_suppresses_small_cells_on_request(stats_cases):
    lines = run("--measure", "prosecuted", "--year", "2023", "--country", "CO", "--suppress")
    assert lines[1].split() == ["CO", "*"]
    assert lines[2].startswith("* suppressed: fewer than 10")
    lines = run("--measure", "prosecuted", "--year", "2023", "--country", "CO", "--suppress",
                "--threshold", "5")  # fmt: skip
    assert lines[1].split() == ["CO", "6"]


def test_the_command_defaults_to_every_member_state(region):
    lines = run("--measure", "smuggling_cases", "--year", "2024")
    assert [line.split()[0] for line in lines[1:]] == [
        "AR", "BO", "BR", "CL", "CO", "EC", "PE", "PY", "UY", "VE"
    ]  # fmt: skip


def test_an_unknown_measure_is_refused_with_an_error(region):
    with pytest.raises(CommandError):
        run("--measure", "victims", "--year", "2024")


def test_the_command_adds_a_regional_row_on_request(stats_cases):
    lines = run("--measure", "victims_detected", "--year", "2023", "--country", "AR",
                "--country", "CO", "--region")  # fmt: skip
    assert lines[-1].split() == ["Regional", "total", "9"]

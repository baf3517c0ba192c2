"""What Quipu ships: the default framework, population figures and the baseline survey.

Loaded after `migrate` (so `make run` has them) and after a test flush; the framework and the
survey only when absent, so the secretariat's edits are never overwritten. Population figures
are reference data and always follow the shipped file.
"""

import csv
import json
from pathlib import Path

from django.db import connection

from quipu.indicators.baseline_form import BASELINE_FILE
from quipu.indicators.models import Indicator, Population, Survey

DATA = Path(__file__).resolve().parent / "data"
FRAMEWORK_FILE = DATA / "framework.json"
POPULATION_FILE = DATA / "population.csv"


def framework_defaults_rows() -> tuple[list[tuple[int, dict]], list[tuple[int, dict]]]:
    """The shipped framework as numbered rows, for the same checks as an XLSX import."""
    data = json.loads(FRAMEWORK_FILE.read_text(encoding="utf-8"))
    return list(enumerate(data["axes"], start=2)), list(enumerate(data["indicators"], start=2))


def framework_defaults_load() -> dict[str, int]:
    from quipu.indicators.services import FrameworkInvalid, framework_apply, framework_validate

    axes, indicators, errors = framework_validate(*framework_defaults_rows())
    if errors:
        raise FrameworkInvalid(errors)
    return framework_apply(axes=axes, indicators=indicators)


def population_sync() -> int:
    with POPULATION_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        Population.objects.update_or_create(
            country_code=row["country"],
            year=int(row["year"]),
            defaults={"population": int(row["population"]), "source": row["source"]},
        )
    return len(rows)


def baseline_survey_load() -> str:
    from quipu.indicators.surveys import survey_store

    _survey, outcome = survey_store(
        content=BASELINE_FILE.read_bytes(), file_name=BASELINE_FILE.name
    )
    return outcome


def defaults_load(*, framework_if_empty: bool = True) -> None:
    population_sync()
    if not framework_if_empty or not Indicator.objects.exists():
        framework_defaults_load()
    if not Survey.objects.filter(form_id="quipu_baseline").exists():
        baseline_survey_load()


def defaults_load_after_migrate(sender, using="default", **kwargs) -> None:
    tables = set(connection.introspection.table_names())
    needed = {model._meta.db_table for model in (Indicator, Population, Survey)}
    if using == "default" and needed <= tables:
        defaults_load()

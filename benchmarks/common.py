import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent


def write_result(name: str, payload: dict) -> dict:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    payload = {
        "benchmark": name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": {"python": platform.python_version(), "cpus": _cpus()},
        **payload,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2) + "\n")
    return payload


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


def django_on_sqlite(database: Path) -> None:
    """Set Django up on a fresh SQLite file and migrate it. In one `make bench` process only
    the first call picks the database: settings are read once."""
    os.environ["QUIPU_DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["QUIPU_VAR_DIR"] = str(database.parent)
    os.environ["DJANGO_SETTINGS_MODULE"] = "quipu.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

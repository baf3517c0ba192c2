"""The installed `quipu` console script runs management commands, including `audit verify`."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _quipu() -> str:
    found = Path(sys.executable).with_name("quipu")
    return str(found) if found.exists() else (shutil.which("quipu") or "")


@pytest.mark.skipif(not _quipu(), reason="the quipu console script is not installed")
def test_quipu_console_script_migrates_and_verifies_a_fresh_database(tmp_path):
    env = {
        **os.environ,
        "QUIPU_VAR_DIR": str(tmp_path),
        "QUIPU_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([_quipu(), "migrate", "-v", "0"], env=env, check=True, timeout=300)
    result = subprocess.run(
        [_quipu(), "audit", "verify"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").exists()
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"

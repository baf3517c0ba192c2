"""Settings read from the environment only (QUIPU_*), with safe defaults for the demo."""

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
TRUE_WORDS = {"1", "true", "yes", "on"}


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


def var_dir() -> Path:
    path = Path(os.environ.get("QUIPU_VAR_DIR", BASE_DIR / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key() -> str:
    """QUIPU_SECRET_KEY, or a key generated once into var/secret_key (owner-readable only)."""
    key = os.environ.get("QUIPU_SECRET_KEY", "").strip()
    if key:
        return key
    key_file = var_dir() / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


def secret_from_env_or_file(env_name: str, path: Path, make: Callable[[], str], what: str) -> str:
    """A key's text: the environment variable, else the key file, created owner-only with
    `make()` if missing. A file others can read is refused: the keys guard victims' data."""
    configured = os.environ.get(env_name, "").strip()
    if configured:
        return configured
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first; read theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(make())
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise ImproperlyConfigured(
            f"The {what} file is readable by other users; make it owner-only (chmod 600)."
        )
    return path.read_text(encoding="utf-8")

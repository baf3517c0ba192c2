"""Process leases: a file under var/run locked while a process does something, so that another
process can tell a live holder from a dead one (the operating system lets the lock go when its
process dies). All holders must run on one machine (docs/operators.md)."""

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


def lease_folder() -> Path:
    folder = Path(settings.VAR_DIR) / "run"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def lease_path(name: str) -> Path:
    return lease_folder() / f"{name.replace('/', '_')}.lock"


@contextmanager
def lease_hold(name: str) -> Iterator[None]:
    """Hold the lease `name` while the block runs."""
    path = lease_path(name)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(descriptor)


def lease_held(name: str) -> bool:
    """Whether a live process holds the lease `name`."""
    try:
        descriptor = os.open(lease_path(name), os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False

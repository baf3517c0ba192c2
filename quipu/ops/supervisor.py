"""Keeps one worker process running: started again, after a short pause, whenever it dies.

`make run` starts the worker through this, so that a worker killed by the operating system
(out of memory, kill -9) or stopped by an error does not leave imports, exports, matching and
e-mails waiting for ever. In production systemd (or the container runtime) restarts the
worker instead; docs/operators.md shows the unit.
"""

import logging
import signal
import subprocess
import sys
import time

logger = logging.getLogger(__name__)

RESTART_PAUSE_SECONDS = 2.0


def supervise(worker_command: list[str], *, pause: float = RESTART_PAUSE_SECONDS) -> int:
    """Run `worker_command` until this process is asked to stop; returns the last exit code."""
    stopping = False
    child: subprocess.Popen | None = None

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    code = 0
    while not stopping:
        child = subprocess.Popen(worker_command)  # noqa: S603 - our own command line
        code = child.wait()
        if stopping:
            break
        print(  # noqa: T201 - the operator reads this where `make run` prints
            f"quipu worker: the worker process ended (exit code {code}); "
            f"starting it again in {pause:g} s",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(pause)
    return code

"""Keeps one worker process running: started again, after a short pause, whenever it dies.

`make run` starts the worker through this, so that a worker killed by the operating system
(out of memory, kill -9) or stopped by an error does not leave imports, exports, matching and
e-mails waiting for ever. In production systemd (or the container runtime) restarts the
worker instead; docs/operators.md shows the unit.
"""

import ctypes
import logging
import os
import signal
import subprocess
import sys
import time

logger = logging.getLogger(__name__)

RESTART_PAUSE_SECONDS = 2.0
# After a stop is asked for, the worker may finish its task this long; then it is told again,
# which ends the task (recorded as failed; the next start's recovery sees to its job), and
# after as long again it is killed.
STOP_GRACE_SECONDS = 10.0


def supervise(
    worker_command: list[str],
    *,
    pause: float = RESTART_PAUSE_SECONDS,
    grace: float = STOP_GRACE_SECONDS,
) -> int:
    """Run `worker_command` until this process is asked to stop; returns the last exit code."""
    stop_asked_at: float | None = None
    child: subprocess.Popen | None = None

    def stop(_signum, _frame) -> None:
        nonlocal stop_asked_at
        if stop_asked_at is None:
            stop_asked_at = time.monotonic()
            _tell(child)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    code = 0
    told = 1
    while stop_asked_at is None:
        # Its own session: a Ctrl-C on the terminal reaches the supervisor only, which passes
        # on one stop. Signalled by both, the worker took the second as "force" in the middle
        # of a task.
        child = subprocess.Popen(  # noqa: S603
            worker_command, start_new_session=True, preexec_fn=_stop_with(os.getpid())
        )
        while (code := child.poll()) is None:
            time.sleep(0.2)
            if stop_asked_at is not None and time.monotonic() - stop_asked_at > told * grace:
                told += 1
                if told == 2:
                    _tell(child)
                else:
                    child.kill()
        if stop_asked_at is not None:
            break
        print(  # noqa: T201 - the operator reads this where `make run` prints
            f"quipu worker: the worker process ended (exit code {code}); "
            f"starting it again in {pause:g} s",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(pause)
    return code


PR_SET_PDEATHSIG = 1


def _stop_with(supervisor_pid: int):
    """In the worker, before it runs: on Linux, be told to stop (SIGTERM) when the supervisor
    dies, even by kill -9. Its own session keeps it out of the supervisor's process group, so
    without this a killed supervisor left the worker running for ever, and a new supervisor
    started a second one beside it."""

    def arrange() -> None:
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (AttributeError, OSError):  # not Linux: systemd or the runtime stops it
            return
        if os.getppid() != supervisor_pid:  # the supervisor died before the line above
            os.kill(os.getpid(), signal.SIGTERM)

    return arrange


def _tell(child: subprocess.Popen | None) -> None:
    """Ask the worker to stop (django-tasks-db: a first signal waits for the running task, a
    second ends it)."""
    if child is not None and child.poll() is None:
        child.send_signal(signal.SIGTERM)

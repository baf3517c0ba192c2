"""Jobs that run once a day (`quipu daily`, from cron or a systemd timer): reminders before due
dates, escalation of overdue steps, and the digest. Each app registers its own."""

from collections.abc import Callable

_JOBS: dict[str, Callable[[], int]] = {}


def daily_job_register(name: str, job: Callable[[], int]) -> None:
    """`job()` does its day's work and returns how many things it acted on."""
    _JOBS[name] = job


def daily_jobs() -> dict[str, Callable[[], int]]:
    return dict(sorted(_JOBS.items()))


def _digest() -> int:
    from quipu.notifications.services import digests_send

    return digests_send()


daily_job_register("zz_digest", _digest)  # last: it reports what the other jobs raised

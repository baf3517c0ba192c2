"""Progress of long jobs, shared through the cache so the page can show it while the worker runs
(the job row itself sits inside the worker's write transaction until the end)."""

from django.core.cache import cache

TIMEOUT = 24 * 3600


def progress_set(job_id, *, phase: str, done: int, total: int | None = None) -> None:
    cache.set(f"quipu:progress:{job_id}", {"phase": phase, "done": done, "total": total}, TIMEOUT)


def progress_get(job_id) -> dict:
    return cache.get(f"quipu:progress:{job_id}") or {"phase": "", "done": 0, "total": None}

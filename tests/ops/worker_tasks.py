"""Tasks for the worker test, run by a real worker process of a test site."""

from django_tasks import task


@task()
def task_that_fails() -> None:
    raise RuntimeError("this task fails on purpose")


@task()
def task_that_adds(a: int, b: int) -> int:
    return a + b

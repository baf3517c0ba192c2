"""Whole-site drills start their own servers and databases, whatever database the pass runs
on: each runs once, in the pass of `make test` on the database it drills, not in both."""

import os

import pytest


def _pass_is_postgres() -> bool:
    return os.environ.get("QUIPU_DATABASE_URL", "").startswith("postgres")


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if not str(item.path).startswith(here) or "_on_" not in item.name:
            continue
        drills_postgres = item.get_closest_marker("postgres") is not None
        if drills_postgres and not _pass_is_postgres():
            item.add_marker(pytest.mark.skip(reason="runs in the PostgreSQL pass of make test"))
        elif not drills_postgres and _pass_is_postgres():
            item.add_marker(pytest.mark.skip(reason="runs in the SQLite pass of make test"))

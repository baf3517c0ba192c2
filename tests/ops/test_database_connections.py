"""Web processes keep their database connection between requests, checked before reuse."""

import pytest
from django.db import connection

from quipu.config.database import database_from_url


def test_connections_are_kept_and_health_checked(monkeypatch):
    monkeypatch.delenv("QUIPU_DB_CONN_MAX_AGE", raising=False)
    for url in ("sqlite:////tmp/x.sqlite3", "postgresql://u@127.0.0.1:5432/quipu"):
        config = database_from_url(url)
        assert config["CONN_MAX_AGE"] == 60
        assert config["CONN_HEALTH_CHECKS"] is True


def test_conn_max_age_is_configurable(monkeypatch):
    monkeypatch.setenv("QUIPU_DB_CONN_MAX_AGE", "0")
    assert database_from_url("postgresql://u@127.0.0.1:5432/quipu")["CONN_MAX_AGE"] == 0


@pytest.mark.django_db
def test_sqlite_settings_apply_to_every_new_connection():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's per-connection settings")
    # A connection opened the way Django opens a new one (the test database's own is kept).
    fresh = connection.get_new_connection(connection.get_connection_params())
    try:
        assert fresh.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert fresh.execute("PRAGMA busy_timeout").fetchone()[0] == 10000
    finally:
        fresh.close()

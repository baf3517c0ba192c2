"""One database setting for both engines: SQLite (WAL) by default, PostgreSQL in production."""

import os

import dj_database_url

SQLITE_INIT = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA busy_timeout=10000;"
)

# Seconds a web process keeps its database connection between requests. With 0, every request
# opened a new connection: on PostgreSQL that is a new server process (fork, authentication,
# catalogue caches), several milliseconds of CPU per request before any query. Health checks
# make Django test a kept connection before reusing it, so a database restart costs one retry,
# not an error page. QUIPU_DB_CONN_MAX_AGE=0 restores one connection per request.
DEFAULT_CONN_MAX_AGE = 60


def conn_max_age() -> int:
    return int(os.environ.get("QUIPU_DB_CONN_MAX_AGE", DEFAULT_CONN_MAX_AGE))


def database_from_url(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=conn_max_age(), conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE stops the web process and the task worker from deadlocking on upgrades.
        # init_command runs on every new connection (Django's get_new_connection), so a kept
        # connection has WAL, foreign keys and the busy timeout as a fresh one does.
        config["OPTIONS"] = {"init_command": SQLITE_INIT, "transaction_mode": "IMMEDIATE"}
        config["TEST"] = {"NAME": None}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["ENGINE"] = "django.db.backends.postgresql"
    return config

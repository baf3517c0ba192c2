"""Cached indicator figures, exact because every write to their inputs retires them.

Progress pages count distinct victims over every case of the region, per indicator and period;
recomputed on every view that is most of a page's time. The figures are kept in the shared
cache (settings.CACHES, one for every web process and the worker) under a *figures version*.
Any INSERT, UPDATE or DELETE of a table the figures are computed from (the case database, the
indicator framework and survey answers, countries and institutions) bumps the version once
its transaction commits, so the next reader computes afresh. The writes are seen where every
write passes: the database connection (an execute wrapper), so bulk imports, queryset updates
and raw SQL count as well as model saves.

What is cached is a function of its arguments only (period, countries, reading, indicators):
who may read which reading is decided before, by the permission layer (selectors.py), so a
cached figure is never served to a reader the computation would not have been run for.
"""

import hashlib
import time
from collections.abc import Callable
from functools import cache
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db import connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

T = TypeVar("T")
VERSION_KEY = "progress:figures:version"
# A safety net, not the mechanism: a write made outside Django (psql) or a process killed
# between its commit and the bump leaves figures stale for at most this long.
TIMEOUT_SECONDS = 3600
WATCHED_APPS = ("cases", "indicators")
WATCHED_MODELS = ("tenancy.Country", "tenancy.Institution")
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "COPY")


def cache_enabled() -> bool:
    return getattr(settings, "QUIPU_FIGURES_CACHE", True)


@cache
def watched_tables() -> frozenset[str]:
    """The tables the figures are computed from, many-to-many tables included."""
    models = [
        model
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    models += [apps.get_model(label) for label in WATCHED_MODELS]
    return frozenset(model._meta.db_table for model in models)


def _mentions_watched(text: str) -> bool:
    return any(f'"{table}"' in text or f" {table} " in text for table in watched_tables())


def writes_watched(sql: str, params) -> bool:
    """Whether a statement may change a watched table."""
    head = sql.lstrip()[:7].upper()
    if head.startswith(WRITES):
        return _mentions_watched(sql)
    # intake/bulk.py allocates ids from a table's sequence and then COPYs the rows through
    # the driver, beside Django's cursor: the allocation names the table in its parameters.
    if "pg_get_serial_sequence" in sql and params:
        return any(isinstance(p, str) and p in watched_tables() for p in params)
    return False


def figures_version() -> int:
    """The current figures version; a fresh, never-used one when the cache lost it."""
    version = shared_cache.get(VERSION_KEY)
    if version is None:
        shared_cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = shared_cache.get(VERSION_KEY, time.time_ns())
    return version


def figures_version_bump() -> None:
    """Retire every cached figure. Called after a write to their inputs commits."""
    try:
        shared_cache.incr(VERSION_KEY)
    except ValueError:  # evicted: a time-based start never meets an old version again
        shared_cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def _bump_now_and_after_commit(connection) -> None:
    """Bump at once, so that this transaction's own later reads do not meet figures from
    before its write, and again once it commits, because a reader in between may have cached
    what it read from before the commit under the first bump's version."""
    figures_version_bump()
    if connection.in_atomic_block and not any(
        func is figures_version_bump for _ids, func, _robust in connection.run_on_commit
    ):
        connection.on_commit(figures_version_bump)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and writes_watched(sql, params):
        _bump_now_and_after_commit(context["connection"])
    return result


@receiver(connection_created)
def _watch_connection(sender, connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def connections_watch() -> None:
    """Watch the connections of this thread made before the receiver was connected."""
    for connection in connections.all():
        _watch_connection(sender=None, connection=connection)


def figures_cached(name: str, compute: Callable[[], T], **arguments) -> T:
    """`compute()`, or what it gave before for the same arguments and figures version."""
    if not cache_enabled():
        return compute()
    fingerprint = hashlib.sha256(repr(sorted(arguments.items())).encode()).hexdigest()[:32]
    key = f"progress:{name}:{figures_version()}:{fingerprint}"
    found = shared_cache.get(key)
    if found is None:
        found = compute()
        shared_cache.set(key, found, timeout=TIMEOUT_SECONDS)
    return found

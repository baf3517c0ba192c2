"""Case search at the demo's size (about 20,000 cases) and at a region's (300,000), on SQLite and
PostgreSQL: the search page as a user gets it, and the API search.

Each configuration runs in a process of its own (Django reads its settings once), on a database
kept between runs under var/bench/ (SQLite) or as `quipu_search_bench_<cases>` (PostgreSQL), and
built with the demo generator when missing: a 300,000-case build takes minutes.

Anchor, measured in the same run for the same user: the case list's first page with no search.
Figures are p50 and p95 over REPEATS requests per search, through Django's test client (the
whole view: permission layer, search, count, page, template, audit row), after one warm-up.
Not a timed test: the figures describe this machine at the time of the run.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

from benchmarks.common import ROOT

REPEATS = int(os.environ.get("QUIPU_BENCH_REPEATS", "20"))
SIZES = [int(n) for n in os.environ.get("QUIPU_BENCH_SEARCH_SIZES", "20000,300000").split(",")]
ENGINES = os.environ.get("QUIPU_BENCH_SEARCH_ENGINES", "sqlite,postgresql").split(",")
POSTGRES_SERVER = os.environ.get("QUIPU_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
BENCH_DIR = Path(os.environ.get("QUIPU_BENCH_DIR", ROOT / "var" / "bench"))
# Country scope and institution scope. Both lists can be narrowed, for a slow "before" run.
USERS = tuple(os.environ.get("QUIPU_BENCH_SEARCH_USERS", "focal.co,caseworker.co").split(","))
ONLY = [q for q in os.environ.get("QUIPU_BENCH_SEARCH_QUERIES", "").split(",") if q]


def _database_url(engine: str, cases: int) -> str:
    if engine == "sqlite":
        return f"sqlite:///{BENCH_DIR / f'search-{cases}.sqlite3'}"
    return f"{POSTGRES_SERVER}/quipu_search_bench_{cases}"


def _postgres_ensure(cases: int) -> None:
    import psycopg

    name = f"quipu_search_bench_{cases}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def _percentiles(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def _timed(call) -> tuple[dict, object]:
    result = call()  # warm-up: caches, statistics, the first plan
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return _percentiles(times), result


def _build(cases: int) -> None:
    from django.core.management import call_command

    from quipu.cases.models import Case
    from quipu.intake.demo import demo_build as cases_build
    from quipu.tenancy.demo import demo_build as region_build

    call_command("migrate", verbosity=0)
    if Case.objects.count() >= cases * 0.9:
        return
    region_build(stdout=StringIO())
    cases_build(stdout=StringIO(), total=cases)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _queries(user) -> dict[str, str]:
    from quipu.cases.models import Identifier, Person

    country = "CO"
    phone = (
        Identifier.objects.filter(
            kind="phone", value__startswith="+58", person__owner__country=country
        )
        .values_list("value", flat=True)
        .first()
    )
    surnames = (
        Person.objects.filter(owner__country=country, second_name__icontains="rodr")
        .values_list("second_name", flat=True)
        .first()
    )
    surname = next(w for w in surnames.split() if w.lower().startswith("rodr"))
    queries = {
        "surname_accented": surname,  # "Rodríguez", as the issue measured
        "surname_unaccented_lower": surname.lower().replace("í", "i"),
        "two_words": f"{surname} Colombia",
        "reference_prefix": "CO-2022",
        "phone_e164": phone or "+584145551234",
        # A Venezuelan mobile as a Venezuelan writes it, searched from Colombia.
        "phone_as_typed": f"0{phone[3:6]} {phone[6:9]} {phone[9:]}" if phone else "0414 555 1234",
        "no_match": "Zzyzxq",
    }
    return {name: text for name, text in queries.items() if not ONLY or name in ONLY}


def _measure(engine: str, cases: int) -> dict:
    os.environ["QUIPU_DATABASE_URL"] = _database_url(engine, cases)
    os.environ.setdefault("QUIPU_VAR_DIR", str(BENCH_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "quipu.config.settings"
    import django

    django.setup()
    _build(cases)
    from django.test import Client
    from django.urls import reverse
    from rest_framework.test import APIClient

    from quipu.cases.models import Case
    from quipu.tenancy.models import User

    figures: dict = {"cases": Case.objects.count()}
    for username in USERS:
        user = User.objects.get(username=username)
        web = Client(HTTP_HOST="localhost")
        web.force_login(user)
        api = APIClient(HTTP_HOST="localhost")
        api.force_authenticate(user)
        anchor, _ = _timed(lambda web=web: web.get(reverse("cases:list")))
        rows: dict = {"anchor_list_page": anchor}
        for name, text in _queries(user).items():
            # The POST and redirect the form makes: the words stay in the session.
            found_at = web.post(reverse("cases:list"), {"q": text}).url
            page, response = _timed(lambda web=web, url=found_at: web.get(url))
            assert response.status_code == 200
            searched, answer = _timed(
                lambda api=api, text=text: api.post(
                    reverse("api:case-search"), {"q": text}, format="json"
                )
            )
            rows[name] = {"page": page, "api": searched, "found": answer.json()["count"]}
        figures[username] = rows
    return figures


def run() -> dict:
    from benchmarks.common import write_result

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    measured: dict = {}
    for engine in ENGINES:
        for cases in SIZES:
            if engine == "postgresql":
                _postgres_ensure(cases)
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.case_search", engine, str(cases)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            measured[f"{engine}_{cases}"] = json.loads(out.stdout.strip().splitlines()[-1])
    worst = max(
        row[channel]["p95_ms"]
        for config in measured.values()
        for username in USERS
        for name, row in config[username].items()
        if name != "anchor_list_page"
        for channel in ("page", "api")
    )
    previous = _previous_before()
    return write_result(
        "case_search",
        {
            "repeats": REPEATS,
            "anchor": "the same user's case list page, no search (anchor_list_page)",
            "users": {"focal.co": "country scope", "caseworker.co": "institution scope"},
            "after": measured,
            "before": previous,
            "summary": f"worst p95 of any search page or API search: {worst} ms",
        },
    )


def _previous_before() -> dict:
    """The figures measured before the search index, kept from the run that took them."""
    path = ROOT / "benchmarks" / "results" / "case_search.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text()).get("before", {})


if __name__ == "__main__":
    engine_arg, cases_arg = sys.argv[1], int(sys.argv[2])
    print(json.dumps(_measure(engine_arg, cases_arg)))

"""API under load (issue 14, item 9): 16 concurrent clients read lists and details through
the API of a site behind gunicorn on loopback, driven by locust (headless, [bench] extra).

Scenarios, 30 s each on the same server: `list` (the case and persons lists, first page and
count), `detail` (a case or a person of the caller's scope, personal reads audited), and the
anchor: the same 16 clients fetching a static stylesheet (whitenoise), what the server and the
load tool manage with no view at all. Each client is its own API user (a token made as the
account page makes them), so the per-user throttle (5,000/hour) is not what is measured.
Target: >= 300 req/s with p99 < 100 ms for list and detail reads. Sites as in pages.py
(QUIPU_BENCH_CASES, QUIPU_BENCH_DATABASES, QUIPU_BENCH_SITES). The load tool shares the
machine's cores with the server; the load average is written beside the figures.
"""

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

from benchmarks.common import write_result
from benchmarks.sites import Site, databases_wanted, load_average, sizes_wanted

CLIENTS = 16
SECONDS = int(os.environ.get("QUIPU_BENCH_API_SECONDS", "30"))
TARGET_RPS, TARGET_P99_MS = 300, 100
LOCUSTFILE = Path(__file__).with_name("locust_api.py")
ROLES = ("focal", "caseworker", "prosecutor", "analyst")
COUNTRIES = ("ar", "bo", "br", "cl", "co", "ec", "pe", "py", "uy", "ve")

# Run inside the site (quipu shell): a fresh token per user and ids in each user's scope.
PLAN_SCRIPT = """
import json
from quipu.accounts.models import ApiToken
from quipu.accounts.services import confirmed_device
from quipu.cases.selectors import cases_visible_to, persons_visible_to
from quipu.tenancy.models import User
plan = []
for username in {usernames!r}:
    user = User.objects.filter(username=username).first()
    if user is None:
        continue
    cases = list(cases_visible_to(user=user).order_by("-id").values_list("id", flat=True)[:50])
    persons = list(persons_visible_to(user=user).order_by("-id").values_list("id", flat=True)[:50])
    if not cases or not persons:
        continue
    _token, key = ApiToken.objects.create(user=user, second_factor=confirmed_device(user))
    plan.append({{"user": username, "token": key, "cases": cases, "persons": persons}})
print("PLAN" + json.dumps(plan))
"""


# Run inside the site afterwards: the run's tokens go, so that runs do not pile tokens up on
# the users' token pages (the secretariat's lists every user's; 40 more per run).
FORGET_SCRIPT = """
from knox.settings import CONSTANTS
from quipu.accounts.models import ApiToken
keys = [key[: CONSTANTS.TOKEN_KEY_LENGTH] for key in {keys!r}]
ApiToken.objects.filter(token_key__in=keys).delete()
"""


def _forget(site: Site, plan: list[dict]) -> None:
    site.quipu("shell", "-c", FORGET_SCRIPT.format(keys=[account["token"] for account in plan]))


def _plan(site: Site, usernames: list[str]) -> list[dict]:
    output = site.quipu("shell", "-c", PLAN_SCRIPT.format(usernames=usernames))
    return json.loads(output.split("PLAN", 1)[1])


def _locust(site: Site, scenario: str, plan: list[dict], anchor: str, workdir: Path) -> dict:
    plan_file = workdir / f"plan-{scenario}.json"
    plan_file.write_text(json.dumps(plan))
    prefix = workdir / scenario
    env = {
        **os.environ,
        "QUIPU_BENCH_SCENARIO": scenario,
        "QUIPU_BENCH_API_PLAN": str(plan_file),
        "QUIPU_BENCH_ANCHOR": anchor,
    }
    command = [str(Path(sys.executable).with_name("locust")), "-f", str(LOCUSTFILE)]
    command += ["--headless", "-u", str(CLIENTS), "-r", str(CLIENTS), "-t", f"{SECONDS}s"]
    command += ["--host", site.address, "--csv", str(prefix), "--only-summary"]
    command += ["--stop-timeout", "10", "--loglevel", "WARNING"]
    subprocess.run(command, env=env, capture_output=True, text=True, timeout=SECONDS + 300)
    with open(f"{prefix}_stats.csv") as stats:
        row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    requests_total = int(row["Request Count"])
    return {
        "requests": requests_total,
        "failures": int(row["Failure Count"]),
        "requests_per_second": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]),
        "p99_ms": float(row["99%"]),
    }


def _one_site(site: Site) -> dict:
    users = [f"{role}.{country}" for role in ROLES for country in COUNTRIES]
    plan = _plan(site, users)
    stylesheet = re.search(
        r'<link[^>]+rel="stylesheet"[^>]+href="(/static/[^"]+)"',
        requests.get(f"{site.address}/accounts/login/", timeout=60).text,
    ).group(1)
    load_before = load_average()
    try:
        with tempfile.TemporaryDirectory() as work:
            workdir = Path(work)
            anchor = _locust(site, "anchor", plan, stylesheet, workdir)
            # Separate users per scenario, so no one's throttle history carries over.
            scenarios = {
                "list": _locust(site, "list", plan[:CLIENTS], stylesheet, workdir),
                "detail": _locust(site, "detail", plan[CLIENTS : 2 * CLIENTS], stylesheet, workdir),
            }
    finally:
        _forget(site, plan)
    for figures in scenarios.values():
        figures["ratio_rps_to_anchor"] = round(
            figures["requests_per_second"] / max(anchor["requests_per_second"], 0.1), 3
        )
        figures["meets_target"] = (
            figures["requests_per_second"] >= TARGET_RPS and figures["p99_ms"] < TARGET_P99_MS
        )
    return {
        "api_users": len(plan),
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "anchor": anchor,
        **scenarios,
    }


def run() -> dict:
    sites = {}
    for cases in sizes_wanted():
        for database in databases_wanted():
            site = Site(database, cases)
            site.build()
            site.start()
            try:
                sites[site.name] = _one_site(site)
            finally:
                site.stop()
    return write_result(
        "api_load",
        {
            "anchor": "a static stylesheet (whitenoise) fetched by the same 16 clients, req/s",
            "method": (
                f"locust 2.47.0 headless, {CLIENTS} clients in a closed loop for {SECONDS} s per "
                "scenario, against gunicorn with 4 workers on 127.0.0.1; each client its own API "
                "user with a fresh token; list = case and persons lists, detail = a case or person "
                "of the caller's scope"
            ),
            "target": f">= {TARGET_RPS} req/s with p99 < {TARGET_P99_MS} ms",
            "sites": sites,
            "summary": "; ".join(
                f"{name}: list {r['list']['requests_per_second']} req/s p99 "
                f"{r['list']['p99_ms']:.0f} ms, detail {r['detail']['requests_per_second']} req/s "
                f"p99 {r['detail']['p99_ms']:.0f} ms (anchor {r['anchor']['requests_per_second']} "
                "req/s)"
                for name, r in sites.items()
            ),
        },
    )


if __name__ == "__main__":
    print(run()["summary"])

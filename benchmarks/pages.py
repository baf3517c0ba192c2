"""Page speed (issue 14, item 9): every menu page of each role, 20 visits each, on SQLite and
PostgreSQL, at the demo's size and at a region's (300k cases), behind gunicorn on loopback.

Each role's user signs in through the login page; the pages are the home page and every link
of the main menu as that user sees it. Each page is visited once to warm the server and the
figures cache (as any earlier visitor would), then 20 times in a row; p50 and p95 are of those
20. The anchor, measured on the same server in the same run, is a static stylesheet served by
whitenoise: what the server costs with no view at all. Target: every page <= 300 ms p95.
Sizes and databases: QUIPU_BENCH_CASES (default 20000,300000), QUIPU_BENCH_DATABASES; see
sites.py for building and reusing the sites. Not a timed test: the machine's load average is
written beside the figures.
"""

import re
import time
from html import unescape

import requests

from benchmarks.common import write_result
from benchmarks.sites import (
    Site,
    databases_wanted,
    load_average,
    percentile,
    sizes_wanted,
)

PASSWORD = "quipu-demo-2026"  # noqa: S105 - the demo users' published password
VISITS = 20
TARGET_MS = 300
TIMEOUT = 120
ROLES = {
    "caseworker": "caseworker.co",
    "focal_point": "focal.co",
    "prosecutor": "prosecutor.co",
    "consular_officer": "consul.co",
    "analyst": "analyst.co",
    "secretariat": "secretariat",
}
MENU = re.compile(r'<nav class="mainnav".*?</nav>', re.S)
LINK = re.compile(r'href="(/[^"#]*)"')
STYLESHEET = re.compile(r'<link[^>]+rel="stylesheet"[^>]+href="(/static/[^"]+)"')


def signed_in(address: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{address}/accounts/login/", timeout=TIMEOUT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{address}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{address}/accounts/login/"},
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"{username} could not sign in ({answer.status_code})")
    return session


def _timed(session: requests.Session, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    answer = session.get(url, timeout=TIMEOUT, allow_redirects=False)
    return time.perf_counter() - started, answer.status_code


def _visits(session: requests.Session, url: str) -> dict:
    _timed(session, url)  # warm: templates, the figures cache, the connection
    seconds, errors = [], 0
    for _ in range(VISITS):
        elapsed, status = _timed(session, url)
        seconds.append(elapsed)
        errors += status >= 400
    p95 = percentile(seconds, 0.95) * 1000
    return {
        "p50_ms": round(percentile(seconds, 0.5) * 1000, 1),
        "p95_ms": round(p95, 1),
        "errors": errors,
    }


def menu_pages(html: str) -> list[str]:
    menu = MENU.search(html)
    links = LINK.findall(menu.group(0)) if menu else []
    return list(dict.fromkeys(["/", *(unescape(link) for link in links)]))


def _crawl(site: Site) -> dict:
    anchor_session = requests.Session()
    home = signed_in(site.address, ROLES["caseworker"]).get(f"{site.address}/", timeout=TIMEOUT)
    stylesheet = STYLESHEET.search(home.text).group(1)
    anchor = _visits(anchor_session, f"{site.address}{stylesheet}")
    roles, over = {}, []
    for role, username in ROLES.items():
        session = signed_in(site.address, username)
        html = session.get(f"{site.address}/", timeout=TIMEOUT).text
        pages = {}
        for path in menu_pages(html):
            figures = _visits(session, f"{site.address}{path}")
            ratio = figures["p95_ms"] / max(anchor["p50_ms"], 0.1)
            figures["ratio_p95_to_anchor"] = round(ratio, 1)
            pages[path] = figures
            if figures["p95_ms"] > TARGET_MS:
                over.append(f"{role} {path} {figures['p95_ms']:.0f} ms")
            print(f"  {site.name} {role} {path}: p95 {figures['p95_ms']:.0f} ms", flush=True)
        roles[role] = pages
    return {"anchor_ms": anchor, "roles": roles, "over_target": over}


def run() -> dict:
    sites = {}
    for cases in sizes_wanted():
        for database in databases_wanted():
            site = Site(database, cases)
            site.build()
            load_before = load_average()
            site.start()
            try:
                crawl = _crawl(site)
            finally:
                site.stop()
            sites[site.name] = {
                "cases_asked": cases,
                "build_seconds": site.build_seconds,
                "load_average_before": load_before,
                "load_average_after": load_average(),
                **crawl,
            }
    over = {name: len(result["over_target"]) for name, result in sites.items()}
    pages = {name: sum(len(p) for p in r["roles"].values()) for name, r in sites.items()}
    return write_result(
        "pages",
        {
            "anchor": "a static stylesheet served by the same gunicorn (whitenoise), p50",
            "method": (
                f"gunicorn with 4 workers on 127.0.0.1, no task worker running; each role signs "
                f"in through the login page and visits home and every main-menu link once to "
                f"warm, then {VISITS} times in a row; p50/p95 of those visits"
            ),
            "target_p95_ms": TARGET_MS,
            "sites": sites,
            "summary": "; ".join(
                f"{name}: {over[name]} of {pages[name]} role pages over {TARGET_MS} ms p95"
                for name in sites
            ),
        },
    )


if __name__ == "__main__":
    print(run()["summary"])

"""Case search on the demo region (about 20,000 cases): a page of results and its count.

Anchor, measured in the same run for the same user: the case list's first page and count
with no search at all. Each figure is the median of REPEATS runs.
"""

import os
import statistics
import tempfile
import time
from io import StringIO
from pathlib import Path

from benchmarks.common import django_on_sqlite

REPEATS = int(os.environ.get("QUIPU_BENCH_REPEATS", "5"))
PAGE = 25


def _median_seconds(user, query: str) -> tuple[float, int]:
    from quipu.cases.selectors import cases_filtered

    times, count = [], 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        list(cases_filtered(user=user, filters={"q": query})[:PAGE])
        count = cases_filtered(user=user, filters={"q": query}).count()
        times.append(time.perf_counter() - started)
    return statistics.median(times), count


def run() -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="quipu-bench-search-"))
    django_on_sqlite(workdir / "bench.sqlite3")
    from benchmarks.common import write_result
    from quipu.cases.models import Identifier, Person
    from quipu.intake.demo import demo_build as cases_build
    from quipu.tenancy.demo import demo_build as region_build
    from quipu.tenancy.models import User

    region_build(stdout=StringIO())
    cases_build(stdout=StringIO())
    user = User.objects.get(username="focal.co")
    phone = (
        Identifier.objects.filter(
            kind="phone", value__startswith="+57", person__owner__country="CO"
        )
        .values_list("value", flat=True)
        .first()
    )
    surname = (
        Person.objects.filter(owner__country="CO")
        .exclude(second_name="")
        .values_list("second_name", flat=True)
        .first()
        .split()[0]
    )
    national = f"{phone[3:6]} {phone[6:9]} {phone[9:]}"  # as a Colombian writes it
    queries = {
        "phone_as_typed": national,
        "phone_e164": phone,
        "surname": surname,
        "two_words": f"{surname} Colombia",
        "reference_prefix": "CO-2022",
    }
    anchor, listed = _median_seconds(user, "")
    figures = {}
    for name, query in queries.items():
        seconds, found = _median_seconds(user, query)
        figures[name] = {
            "seconds": round(seconds, 4),
            "cases_found": found,
            "ratio_to_unfiltered_list": round(seconds / anchor, 2),
        }
    summary = ", ".join(f"{name} {f['ratio_to_unfiltered_list']}x" for name, f in figures.items())
    return write_result(
        "case_search",
        {
            "cases_visible": listed,
            "repeats": REPEATS,
            "anchor": "the same user's case list, first page and count, no search",
            "anchor_seconds": round(anchor, 4),
            "searches": figures,
            "summary": f"search time as a multiple of the unfiltered list: {summary}",
        },
    )

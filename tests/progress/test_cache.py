"""Cached progress figures (progress/cache.py): the same figures as computed afresh, and
retired by every write to their inputs, bulk imports and survey approvals included."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from quipu.indicators.models import Submission
from quipu.indicators.submissions import submission_review
from quipu.intake.writer import records_write
from quipu.progress import cache as figures_cache
from quipu.progress.breakdowns import indicator_breakdown
from quipu.progress.values import active_indicators, period_values, period_values_computed
from tests.stats.conftest import case, victim

pytestmark = pytest.mark.django_db
MEMBERS = ["AR", "BO", "BR", "CL", "CO", "EC", "PE", "PY", "UY", "VE"]


def _figures(**reading):
    return period_values(period="2025", countries=MEMBERS, **reading)


def _fresh(**reading):
    return period_values_computed(
        period="2025", countries=MEMBERS, indicators=active_indicators(), **reading
    )


def _page(client, name, *args, **params) -> str:
    with translation.override("es"):
        html = client.get(reverse(name, args=args), params, HTTP_ACCEPT_LANGUAGE="es")
    assert html.status_code == 200
    # Per-request tokens differ between any two renders; the figures must not.
    return re.sub(r'(nonce|value)="[^"]*"', "", html.content.decode())


@pytest.mark.parametrize(
    "reading",
    [{"include_pending": False, "suppress": True}, {"include_pending": True, "suppress": False}],
)
def test_cached_figures_are_the_figures_computed_afresh(chile, reading):
    first = _figures(**reading)
    assert first == _fresh(**reading)
    assert _figures(**reading) == first  # the second read comes from the cache


def test_progress_pages_are_the_same_with_and_without_the_cache(chile, login):
    client = login("secretariat")
    pages = [
        ("progress:overview", (), {"period": "2025"}),
        ("progress:country", ("CL",), {"period": "2025"}),
        ("progress:indicator", ("PROT-01",), {"period": "2025"}),
    ]
    for name, args, params in pages:
        _page(client, name, *args, **params)  # fills the cache
        cached = _page(client, name, *args, **params)
        with override_settings(QUIPU_FIGURES_CACHE=False):
            assert _page(client, name, *args, **params) == cached, name


def test_a_case_written_retires_the_cached_figures(chile, region):
    before = _figures(include_pending=True, suppress=False)
    version = figures_cache.figures_version()
    # The import writer's bulk path: executemany on SQLite, COPY on PostgreSQL.
    records_write(
        owner=region.institution("CL-POLICE"),
        records=[
            case("CL-P-3", [victim("CLN1", gender="Feminine", age_group="21--23")], year=2025)
        ],
    )
    assert figures_cache.figures_version() != version
    after = _figures(include_pending=True, suppress=False)
    assert after != before
    assert after == _fresh(include_pending=True, suppress=False)


def test_a_survey_answer_accepted_retires_the_cached_figures(chile, region):
    before = _figures(include_pending=False, suppress=True)
    police = Submission.objects.get(institution=region.institution("CL-POLICE"), state="submitted")
    submission_review(actor=region.user("focal.cl"), submission=police, action="approve")
    submission_review(actor=region.user("secretariat"), submission=police, action="accept")
    after = _figures(include_pending=False, suppress=True)
    assert after["CL"] != before["CL"]  # the police's 6 campaigns now count regionally
    assert after == _fresh(include_pending=False, suppress=True)


def test_the_version_is_bumped_again_once_when_the_writing_transaction_commits(chile, region):
    earlier, connection.run_on_commit = connection.run_on_commit, []  # the fixture's writes
    try:
        records_write(
            owner=region.institution("CL-POLICE"),
            records=[case("CL-P-4", [victim("CLN2", gender="Feminine")], year=2025)],
        )
        waiting = [func for _ids, func, _robust in connection.run_on_commit]
    finally:
        connection.run_on_commit = earlier + connection.run_on_commit
    assert waiting.count(figures_cache.figures_version_bump) == 1


def test_reads_and_writes_elsewhere_keep_the_cached_figures(chile, region, login):
    _figures(include_pending=False, suppress=True)
    version = figures_cache.figures_version()
    login("secretariat").get(reverse("progress:overview"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cases_case")
    assert figures_cache.figures_version() == version


def test_breakdowns_read_through_the_cache_give_the_same_cells(chile):
    from quipu.indicators.models import Indicator

    indicator = Indicator.objects.get(code="PROT-01")
    arguments = {"indicator": indicator, "by": "sex", "countries": MEMBERS, "period": "2025"}
    cached = indicator_breakdown(suppress=True, **arguments)
    with override_settings(QUIPU_FIGURES_CACHE=False):
        assert indicator_breakdown(suppress=True, **arguments) == cached
    assert indicator_breakdown(suppress=True, **arguments) == cached

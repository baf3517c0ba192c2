"""Query bounds of the pages issue 14 found slow (no timing here: benchmarks/pages.py and
benchmarks/api_load.py measure time). The persons list's COUNT used to run two correlated
EXISTS per person; /progress/ used to run 39 queries, ~36 of them counts over every case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.helpers import api_client_for

pytestmark = pytest.mark.django_db


def test_persons_list_runs_a_bounded_number_of_queries(region, django_assert_max_num_queries):
    client = api_client_for(region.user("focal.co"))
    client.get(reverse("api:persons"))  # the token and throttle rows exist from here on
    # auth 4, count, page 3, scope 1, actor 2, audit 3 (SQLite) or 6 (PostgreSQL: the read waits
    # beside the chain, then is chained in a savepoint)
    with django_assert_max_num_queries(19):
        response = client.get(reverse("api:persons"))
    assert response.status_code == 200 and response.json()["count"] >= 1


def test_persons_list_counts_without_a_correlated_exists_per_person(region):
    client = api_client_for(region.user("focal.co"))
    client.get(reverse("api:persons"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("api:persons")).status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    persons = [sql for sql in counts if '"cases_person"' in sql]
    assert persons, "the paginator counts the persons"
    assert all("EXISTS" not in sql.upper() for sql in persons)


def test_progress_overview_first_view_is_bounded_and_the_next_ones_read_the_cache(
    chile, login, django_assert_max_num_queries
):
    client = login("secretariat")
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("progress:overview"), {"period": "2025"}).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("progress:overview"), {"period": "2025"}).status_code == 200
    assert len(first.captured_queries) > 15  # the counts themselves, once per figures version

"""`quipu demo` leaves targets set from the 2024 baseline, so the pages show statuses."""

from io import StringIO

import pytest

from quipu.indicators.round_demo import rounds_demo_build
from quipu.progress.demo import demo_build
from quipu.progress.models import CountryTarget
from quipu.progress.selectors import NATIONAL, progress_table
from quipu.progress.status import OFF_TRACK, ON_TRACK
from tests.indicators.conftest import framework  # noqa: F401

pytestmark = pytest.mark.django_db


def test_demo_targets_give_countries_on_and_off_track(region, framework):  # noqa: F811
    rounds_demo_build()
    demo_build(stdout=StringIO())
    assert CountryTarget.objects.values("country_id").distinct().count() == 10
    count = CountryTarget.objects.count()
    demo_build(stdout=StringIO())  # idempotent
    assert CountryTarget.objects.count() == count
    table = progress_table(countries=["AR", "BR", "CL"], periods=["2024", "2025"], reading=NATIONAL)
    statuses = {p.status for p in table.values()}
    assert {ON_TRACK, OFF_TRACK} <= statuses

"""`quipu demo --cases N`: a region of the size asked for, built through the demo's builders."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quipu.cases.models import Case, Victim
from quipu.tenancy.countries import REGIONAL_PLATFORM


@pytest.mark.django_db
def test_demo_with_cases_500_builds_about_500_cases_over_the_ten_states():
    output = StringIO()
    call_command("demo", cases=500, stdout=output)
    demo = Case.objects.filter(source_key__startswith="demo:")
    # A few victims found abroad are recorded a second time by another country (synthetic.py).
    assert 500 <= demo.count() <= 540
    owners = set(demo.values_list("owner__country_id", flat=True).distinct())
    assert owners == set(REGIONAL_PLATFORM)
    assert Victim.objects.filter(case__in=demo).count() >= 500
    assert "intake:" in output.getvalue()  # per-step timings, so a large build shows progress


@pytest.mark.django_db
def test_demo_refuses_a_size_below_one():
    with pytest.raises(CommandError):
        call_command("demo", cases=0, stdout=StringIO())

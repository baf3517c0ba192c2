"""The demo builds requests in every state between several countries, and a second run adds
nothing."""

from io import StringIO

import pytest

from quipu.cooperation.requests.demo import demo_build
from quipu.cooperation.requests.models import InformationRequest, State

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_state_and_is_idempotent(region):
    demo_build(stdout=StringIO())
    states = set(InformationRequest.objects.values_list("state", flat=True))
    assert states == set(State.values)
    pairs = set(
        InformationRequest.objects.values_list("requesting_country_id", "receiving_country_id")
    )
    assert len(pairs) >= 5
    count = InformationRequest.objects.count()
    demo_build(stdout=StringIO())
    assert InformationRequest.objects.count() == count

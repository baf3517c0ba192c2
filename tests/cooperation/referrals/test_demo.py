"""The demo builds consular referrals quickly and a second run adds nothing."""

from io import StringIO

import pytest

from quipu.cooperation.referrals.demo import demo_build
from quipu.cooperation.referrals.models import Referral
from tests.cooperation.referrals.factories import foreign_victim

pytestmark = pytest.mark.django_db


def test_the_demo_refers_corridor_victims_and_consular_registrations_once(region):
    for number in range(4):
        foreign_victim("CO-POLICE", "VE", consent=number == 0, share=True, key=f"demo{number}")
    demo_build(stdout=StringIO())
    keys = set(Referral.objects.values_list("demo_key", flat=True))
    assert {"demo:VE-CO:0", "demo:VE-CO:1", "demo:VE-CO:2"} <= keys
    assert {"demo:consul:VE", "demo:consul:CO", "demo:consul:PY", "demo:consul:BO"} <= keys
    states = set(Referral.objects.values_list("state", flat=True))
    assert {"sent", "accepted", "in_progress"} <= states
    first = Referral.objects.get(demo_key="demo:VE-CO:0")
    assert first.victim.consent.share_with_home_country is True
    count = Referral.objects.count()
    demo_build(stdout=StringIO())
    assert Referral.objects.count() == count

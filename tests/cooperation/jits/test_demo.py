"""The demo builds its three JITs quickly and a second run adds nothing."""

from io import StringIO

from quipu.cooperation.jits.demo import demo_build
from quipu.cooperation.jits.models import Attachment, CaseLink, Jit


def test_the_demo_builds_the_network_a_proposed_and_a_closed_jit_once(region):
    demo_build(stdout=StringIO())
    network = Jit.objects.get(demo_key="demo:network")
    assert network.state == "active" and network.lead_country_id == "CO"
    countries = set(
        network.members.filter(state="accepted").values_list("institution__country_id", flat=True)
    )
    assert countries == {"CO", "VE", "EC", "PE"}
    linked = set(CaseLink.objects.filter(jit=network).values_list("case__reference", flat=True))
    assert linked == {"CO-TEST-1", "VE-TEST-1", "EC-TEST-1", "PE-TEST-1"}
    assert network.notes.count() == 4 and network.tasks.count() == 3
    assert Attachment.objects.get(jit=network).content_type == "text/plain"
    assert Jit.objects.get(demo_key="demo:ar-bo").state == "proposed"
    assert Jit.objects.get(demo_key="demo:br-py").state == "closed"
    count = (Jit.objects.count(), Attachment.objects.count())
    demo_build(stdout=StringIO())
    assert (Jit.objects.count(), Attachment.objects.count()) == count

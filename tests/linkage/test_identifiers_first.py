"""The identifiers pass (the demo's first notices within seconds): shared identifiers become
notices at once, with the evidence a full run gives them; the full run that follows keeps
them, adds what names alone find, and the pass itself never withdraws."""

from io import StringIO

import pytest

from quipu.linkage.demo import demo_build
from quipu.linkage.evidence import Band
from quipu.linkage.models import LinkRun, MatchNotice
from quipu.linkage.runs import link_run_full, link_run_identifiers
from quipu.linkage.services import encodings_rebuild
from tests.linkage.test_notice_probing import person_record, write
from tests.linkage.test_review import PHONE, case_with_phone, notice_between

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(region):
    """A phone shared by VE and CO, and a victim recorded by PE and EC with no identifier."""
    shared = (
        case_with_phone("VE", "Yohana", "Rangel Pérez", PHONE, "1999-04-02"),
        case_with_phone("CO", "Yohana", "Rangel Pérez", PHONE, "1999-04-02"),
    )
    names_only = (
        write(
            "PE-POLICE",
            person_record("PE", "Marisol", "Quispe Mamani", None, "1995-03-09", "Feminine", key=1),
        ),
        write(
            "EC-POLICE",
            person_record("EC", "Marisol", "Quispe Mamani", None, "1995-03-09", "Feminine", key=1),
        ),
    )
    encodings_rebuild()
    return shared, names_only


def test_the_identifiers_pass_writes_shared_identifier_notices_and_the_full_run_keeps_them(
    people,
):
    shared, names_only = people
    first = link_run_identifiers()

    assert first.kind == LinkRun.Kind.IDENTIFIERS and first.model is None
    notice = notice_between(*shared)
    assert notice.band == Band.STRONG and notice.first_run == first  # as a full run reads it
    with pytest.raises(MatchNotice.DoesNotExist):
        notice_between(*names_only)  # names alone wait for the model

    full = link_run_full()

    assert notice_between(*shared).pk == notice.pk  # found again, not withdrawn
    assert notice_between(*names_only).first_run == full
    assert full.notices_withdrawn == 0


def test_the_identifiers_pass_withdraws_nothing_it_does_not_look_at(people):
    shared, names_only = people
    link_run_full()
    link_run_identifiers()
    assert notice_between(*names_only).status == MatchNotice.Status.PENDING
    assert not MatchNotice.objects.filter(status=MatchNotice.Status.WITHDRAWN).exists()


def test_the_demo_has_identifier_notices_before_serving_and_queues_the_full_run(people):
    shared, _names_only = people
    out = StringIO()
    demo_build(stdout=out)

    assert notice_between(*shared).first_run.kind == LinkRun.Kind.IDENTIFIERS
    assert LinkRun.objects.filter(kind=LinkRun.Kind.FULL, status=LinkRun.Status.QUEUED).exists()
    assert "identificadores compartidos" in out.getvalue()

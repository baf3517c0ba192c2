"""The consular seal holds in matching (issue 13 finding 4): a case of a consulate abroad
reaches its home country only through a consular referral, so no match notice is made on it,
and a notice made before the seal is seen and decided by no focal point."""

import pytest
from django.urls import reverse

from quipu.audit.models import Action, AuditEntry
from quipu.errors import NotAllowed
from quipu.linkage.models import MatchNotice, MatchNoticeSide, PersonEncoding
from quipu.linkage.runs import link_run_full
from quipu.linkage.selectors import group_sides, notice_sides_for, notice_tab_counts
from quipu.linkage.services import encodings_rebuild
from tests.linkage.test_notice_probing import person_record, write

SHARED_PHONE = "+595 981 123 456"  # a Paraguayan mobile, fictitious


@pytest.fixture
def sealed_and_open(region):
    """Brazil's consulate in Paraguay registered a Brazilian victim found there; Paraguay's
    police hold a record with the same phone, name and date; so does Argentina's."""
    sealed = write(
        "BR-CONSULATE-PY",
        person_record("BR", "Marina", "Souza", SHARED_PHONE, "2001-07-08", "Feminine", key=1),
    )
    paraguay = write(
        "PY-POLICE",
        person_record("PY", "Marina", "Souza", SHARED_PHONE, "2001-07-08", "Feminine", key=1),
    )
    argentina = write(
        "AR-POLICE",
        person_record("AR", "Marina", "Souza", SHARED_PHONE, "2001-07-08", "Feminine", key=1),
    )
    encodings_rebuild()
    return sealed, paraguay, argentina


def encoding_of(victim) -> int:
    return PersonEncoding.objects.get(person_id=victim.person_id).pk


def test_seal_a_consulate_abroad_record_makes_no_match_notice(sealed_and_open):
    sealed, paraguay, argentina = sealed_and_open
    link_run_full()
    assert not MatchNoticeSide.objects.filter(encoding_id=encoding_of(sealed)).exists()
    # The other two still meet: the sealed record does not hide them from each other.
    assert (
        MatchNotice.objects.filter(sides__encoding_id=encoding_of(paraguay))
        .filter(sides__encoding_id=encoding_of(argentina))
        .exists()
    )


@pytest.fixture
def notice_on_sealed(sealed_and_open):
    """A notice on the sealed record, as the matcher made them before the seal held here."""
    sealed, paraguay, argentina = sealed_and_open
    run = link_run_full()  # Paraguay and Argentina: one notice, one group
    between = MatchNotice.objects.filter(sides__encoding_id=encoding_of(paraguay))
    group = between.get(sides__encoding_id=encoding_of(argentina)).cluster_key
    low, high = sorted((encoding_of(sealed), encoding_of(paraguay)))
    notice = MatchNotice.objects.create(
        encoding_low=low,
        encoding_high=high,
        match_probability=0.99,
        first_run=run,
        last_run=run,
        cluster_key=group,
    )
    for victim in (sealed, paraguay):
        notice.sides.create(encoding_id=encoding_of(victim), institution=victim.case.owner)
    return notice


def test_seal_the_home_focal_point_neither_sees_nor_decides_a_sealed_notice(
    notice_on_sealed, region, login
):
    home = notice_on_sealed.sides.get(institution__code="BR-CONSULATE-PY")
    focal = region.user("focal.br")
    assert home not in notice_sides_for(user=focal, tab=None)
    todo = notice_tab_counts(user=focal)["todo"]
    assert todo == notice_sides_for(user=focal, tab="todo").count()  # counted as listed

    client = login("focal.br")
    assert "BR-PROBE" not in client.get(reverse("linkage:notices")).content.decode()
    assert client.get(reverse("linkage:notice", args=[home.pk])).status_code == 404
    assert AuditEntry.objects.filter(action=Action.DENIED, object_id=str(home.pk)).exists()
    with pytest.raises(NotAllowed):
        from quipu.linkage.review import match_notice_decide

        match_notice_decide(actor=focal, side=home, decision="confirmed", reason="Seen.")
    home.refresh_from_db()
    assert home.decision == ""


def test_seal_the_other_country_does_not_learn_of_the_sealed_record_either(
    notice_on_sealed, region, login
):
    """Paraguay's side names the Brazilian consulate in Paraguay, i.e. that it registered a
    victim found there: hidden as well, and from the group of the other notices."""
    host_side = notice_on_sealed.sides.get(institution__code="PY-POLICE")
    focal = region.user("focal.py")
    assert host_side not in notice_sides_for(user=focal, tab=None)
    url = reverse("linkage:notice", args=[host_side.pk])
    assert login("focal.py").get(url).status_code == 404
    open_side = MatchNoticeSide.objects.exclude(notice=notice_on_sealed).get(
        encoding_id=host_side.encoding_id
    )
    assert list(group_sides(user=focal, side=open_side)) == []

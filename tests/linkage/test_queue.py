"""The match-notice queue (issue 14, item 5): groups as one item, filters and sorts checked
against the database, the decision form before the group, and group decisions (each notice
decided and audited as on its own, plus one group entry; permissions per notice)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quipu.audit.models import Action, AuditEntry
from quipu.errors import InvalidTransition, NotAllowed
from quipu.linkage.evidence import Band
from quipu.linkage.models import LinkRun, MatchNotice, MatchNoticeSide, PersonEncoding
from quipu.linkage.review import group_fingerprint, match_notice_group_decide
from quipu.linkage.selectors import group_open
from quipu.notifications.models import Notification
from quipu.tenancy.models import Institution
from tests.linkage.test_review import case_with_phone

Status, Decision = MatchNotice.Status, MatchNoticeSide.Decision
OTHER_ID = iter(range(900_000, 999_999))  # the other side's encodings: ids only, no record


class Notices:
    """Records of one country and their notices against other countries, written as a run
    writes them (the other side's records are ids only: its owner never reads them here)."""

    def __init__(self, country: str = "CO") -> None:
        self.run = LinkRun.objects.create(kind=LinkRun.Kind.FULL, status=LinkRun.Status.DONE)
        self.country = country
        self.police = {}
        self.count = 0

    def institution(self, country: str) -> Institution:
        if country not in self.police:
            self.police[country] = Institution.objects.get(code=f"{country}-POLICE")
        return self.police[country]

    def record(self, first: str) -> int:
        phone = {"CO": "+57 300 555 01", "VE": "+58 412 555 01"}[self.country]
        victim = case_with_phone(
            self.country, first, "Queue", f"{phone}{self.count:02d}", "1990-01-02"
        )
        self.count += 1
        return PersonEncoding.objects.create(
            person_id=victim.person_id,
            owner_country=self.country,
            owner_institution_id=victim.case.owner_id,
            role="victim",
            clk=bytes(128),
            key_id="test",
            schema_id="test",
        ).pk

    def notice(
        self,
        own: int,
        country: str,
        *,
        band=Band.STRONG,
        group=None,
        days_ago=0,
        status=Status.PENDING,
    ) -> MatchNoticeSide:
        other = next(OTHER_ID)
        notice = MatchNotice.objects.create(
            encoding_low=own,
            encoding_high=other,
            match_probability=0.99,
            band=band,
            cluster_key=group,
            status=status,
            first_run=self.run,
            last_run=self.run,
        )
        MatchNotice.objects.filter(pk=notice.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
        MatchNoticeSide.objects.create(
            notice=notice, encoding_id=other, institution=self.institution(country)
        )
        return MatchNoticeSide.objects.create(
            notice=notice, encoding_id=own, institution=self.institution(self.country)
        )


@pytest.fixture
def queue(region):
    """A group of three (Venezuela, Peru, Ecuador: one strong, one probable, one identifier
    hit), a single identifier hit with Brazil from last month, one notice CO already decided."""
    notices = Notices()
    ana, bea, eva = notices.record("Ana"), notices.record("Bea"), notices.record("Eva")
    group = {
        "VE": notices.notice(ana, "VE", band=Band.STRONG, group=ana, days_ago=3),
        "PE": notices.notice(ana, "PE", band=Band.NAME, group=ana, days_ago=2),
        "EC": notices.notice(ana, "EC", band=Band.IDENTIFIER, group=ana, days_ago=1),
    }
    single = notices.notice(bea, "BR", band=Band.IDENTIFIER, days_ago=30)
    decided = notices.notice(eva, "AR", band=Band.STRONG, group=eva, days_ago=5)
    MatchNoticeSide.objects.filter(pk=decided.pk).update(decision=Decision.CONFIRMED)
    return notices, group, single, decided


def listed(response) -> list[list[int]]:
    """The queue's items, each as the side ids it lists, in page order."""
    return [[row["side"].pk for row in rows] for _group, rows, _band in response.context["groups"]]


def test_a_group_is_one_collapsed_item_with_its_countries_and_size(queue, login):
    _notices, group, single, _decided = queue
    response = login("focal.co").get(reverse("linkage:notices"))

    items = response.context["groups"]
    assert [item[0].size for item in items] == [3, 1]  # strongest first: the group's "strong"
    assert items[0][0].countries == ["Ecuador", "Perú", "Venezuela"]
    assert sorted(listed(response)[0]) == sorted(side.pk for side in group.values())
    html = response.content.decode()
    assert html.count("<details>") == 1 and "<details open" not in html
    assert "Grupo de 3 avisos" in html
    assert reverse("linkage:group", args=[min(s.pk for s in group.values())]) in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"band": "identifier"}, lambda g, s: {g["EC"].pk, s.pk}),
        ({"band": "name"}, lambda g, s: {g["PE"].pk}),
        ({"kind": "person"}, lambda g, s: {g["VE"].pk, g["PE"].pk}),
        ({"kind": "identifier"}, lambda g, s: {g["EC"].pk, s.pk}),
        ({"country": "BR"}, lambda g, s: {s.pk}),
        ({"country": "PE", "kind": "person"}, lambda g, s: {g["PE"].pk}),
    ],
)
def test_the_queue_filters_match_the_database(queue, login, params, expected):
    _notices, group, single, _decided = queue
    response = login("focal.co").get(reverse("linkage:notices"), params)

    shown = {pk for item in listed(response) for pk in item}
    assert shown == expected(group, single)
    # The same filter, straight from the database, gives the same sides.
    sides = MatchNoticeSide.objects.filter(institution__country_id="CO", decision="")
    if "band" in params:
        sides = sides.filter(notice__band=params["band"])
    if params.get("kind") == "person":
        sides = sides.exclude(notice__band=Band.IDENTIFIER)
    if params.get("kind") == "identifier":
        sides = sides.filter(notice__band=Band.IDENTIFIER)
    if "country" in params:
        sides = sides.filter(notice__sides__institution__country_id=params["country"])
    assert shown == set(sides.values_list("pk", flat=True))


def test_the_status_tabs_separate_open_and_decided_notices(queue, login):
    _notices, group, single, decided = queue
    client = login("focal.co")
    todo = client.get(reverse("linkage:notices"), {"tab": "todo"})
    waiting = client.get(reverse("linkage:notices"), {"tab": "waiting", "country": "AR"})

    assert decided.pk not in {pk for item in listed(todo) for pk in item}
    assert listed(waiting) == [[decided.pk]]
    assert "Por revisar (0)" in waiting.content.decode()  # counts follow the other filters
    assert "Por revisar (4)" in todo.content.decode()


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("band", lambda g, s: [g, s]),  # the group holds a strong notice
        ("newest", lambda g, s: [g, s]),  # the group's newest is a day old, the single 30
        ("oldest", lambda g, s: [s, g]),
        ("size", lambda g, s: [g, s]),
        ("country", lambda g, s: [s, g]),  # Brasil before Ecuador
    ],
)
def test_the_queue_sorts(queue, login, sort, order):
    _notices, group, single, _decided = queue
    response = login("focal.co").get(reverse("linkage:notices"), {"sort": sort})
    firsts = [min(item) for item in listed(response)]
    assert firsts == [
        min(side.pk for side in each) for each in order(list(group.values()), [single])
    ]


def test_queue_parameters_carry_codes_only_and_unknown_ones_are_refused(queue, login):
    client = login("focal.co")
    for params in ({"band": "score"}, {"sort": "probability"}, {"tab": "all"}, {"country": "x1"}):
        assert client.get(reverse("linkage:notices"), params).status_code == 404
    page = client.get(reverse("linkage:notices"), {"band": "strong", "sort": "newest"})
    assert "?tab=waiting&amp;band=strong&amp;sort=newest" in page.content.decode()


def test_the_queue_page_runs_the_same_number_of_queries_for_many_notices(queue, login):
    notices, *_ = queue
    client = login("focal.co")
    client.get(reverse("linkage:notices"))  # sessions and caches settle
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("linkage:notices"))
    for n in range(12):
        own = notices.record(f"Many{n}")
        for country in ("VE", "PE", "EC", "BO", "CL"):
            notices.notice(own, country, band=Band.NAME, group=own)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("linkage:notices"))
    assert len(response.context["groups"]) == 14
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_decision_form_comes_before_the_group_which_is_collapsed(queue, login):
    _notices, group, _single, _decided = queue
    html = login("focal.co").get(reverse("linkage:notice", args=[group["PE"].pk])).content
    html = html.decode()
    assert html.index('id="decision"') < html.index('id="group"')
    assert '<details class="card wide" id="group">' in html  # closed until opened
    assert reverse("linkage:group", args=[group["PE"].pk]) in html


@pytest.fixture
def group_of_four(queue):
    """The group of three plus a notice held back over the daily limit (neither side sees
    it) and one CO already decided."""
    notices, group, _single, _decided = queue
    ana = MatchNoticeSide.objects.get(pk=group["VE"].pk).encoding_id
    held = notices.notice(ana, "BO", group=ana, status=Status.HELD)
    before = notices.notice(ana, "CL", group=ana)
    MatchNoticeSide.objects.filter(pk=before.pk).update(
        decision=Decision.REJECTED, reason="Checked before."
    )
    MatchNotice.objects.filter(pk=before.notice_id).update(status=Status.REJECTED)
    return group, held, before


def test_a_reviewer_decides_a_whole_group_in_one_action(group_of_four, login):
    group, held, before = group_of_four
    client = login("focal.co")
    url = reverse("linkage:group", args=[group["PE"].pk])
    page = client.get(url)
    html = page.content.decode()
    assert html.index('id="group-decision"') < html.index('id="members-title"')

    response = client.post(
        url,
        {
            "decision": "confirmed",
            "reason": "Same recruiter in the three countries.",
            "reveal_consent": "on",
            "shown": page.context["form"].initial["shown"],
        },
    )

    assert response.status_code == 302
    for side in group.values():
        side.refresh_from_db()
        assert side.decision == Decision.CONFIRMED and side.reveal_consent
        assert side.reason == "Same recruiter in the three countries."
    held.refresh_from_db()
    before.refresh_from_db()
    assert held.decision == "" and held.notice.status == Status.HELD  # never touched
    assert before.decision == Decision.REJECTED and before.reason == "Checked before."
    each = AuditEntry.objects.filter(action=Action.UPDATE, object_type="linkage.matchnoticeside")
    assert {entry.object_id for entry in each} == {str(side.pk) for side in group.values()}
    assert all(entry.detail["group_decision"] == group["PE"].pk for entry in each)
    entry = AuditEntry.objects.get(action=Action.UPDATE, object_type="linkage.matchnoticegroup")
    assert sorted(entry.detail["notices"]) == sorted(s.notice_id for s in group.values())
    assert entry.detail["decision"] == "confirmed" and entry.subject_country == "CO"
    after = client.get(url).content.decode()
    assert "Ningún aviso de este grupo espera su decisión." in after
    assert after.count("Esperando al otro país") == 3


def test_a_group_decision_is_refused_when_the_group_changed_since_it_was_shown(
    group_of_four, region
):
    group, _held, _before = group_of_four
    focal = region.user("focal.co")
    shown = group_fingerprint(group_open(user=focal, side=group["VE"]).values_list("pk", flat=True))
    notices = Notices()
    ana = group["VE"].encoding_id
    notices.notice(ana, "UY", group=ana)  # a new notice joins the group meanwhile

    with pytest.raises(InvalidTransition):
        match_notice_group_decide(
            actor=focal, side=group["VE"], decision="rejected", reason="No.", fingerprint=shown
        )
    decided = MatchNoticeSide.objects.filter(institution__country_id="CO", decision="rejected")
    assert list(decided.values_list("reason", flat=True)) == ["Checked before."]


def test_another_countrys_focal_point_cannot_decide_a_group(group_of_four, region, login):
    group, _held, _before = group_of_four
    url = reverse("linkage:group", args=[group["VE"].pk])
    assert login("focal.ve").post(url, {"decision": "rejected", "reason": "x"}).status_code == 404
    with pytest.raises(NotAllowed):
        match_notice_group_decide(
            actor=region.user("focal.ve"),
            side=group["VE"],
            decision="rejected",
            reason="x",
            fingerprint="",
        )
    assert AuditEntry.objects.filter(action=Action.DENIED, object_id=str(group["VE"].pk)).exists()
    decided = MatchNoticeSide.objects.filter(institution__country_id="CO").exclude(decision="")
    assert set(decided.values_list("reason", flat=True)) == {"", "Checked before."}


def test_a_group_confirmed_on_both_sides_links_and_notifies_once_per_country(queue, region):
    _notices, group, _single, _decided = queue
    for side in group.values():  # the other countries confirmed already
        other = side.notice.sides.exclude(pk=side.pk)
        other.update(decision=Decision.CONFIRMED, reason="Ours too.")
    focal = region.user("focal.co")
    shown = group_fingerprint(group_open(user=focal, side=group["VE"]).values_list("pk", flat=True))

    result = match_notice_group_decide(
        actor=focal, side=group["VE"], decision="confirmed", reason="Yes.", fingerprint=shown
    )

    assert result.linked == 3 and result.left_alone == 0
    assert set(
        MatchNotice.objects.filter(pk__in=result.decided).values_list("status", flat=True)
    ) == {Status.LINKED}
    confirmed = Notification.objects.filter(kind="linkage.link_confirmed", recipient=focal)
    assert confirmed.count() == 1

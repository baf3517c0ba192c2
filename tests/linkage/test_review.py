"""Match notices: full and incremental runs, the review workflow, its permissions, and what a
notice shows (DESIGN.md rules 1 to 3)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from quipu.audit.models import Action, AuditEntry
from quipu.cases.models import Identifier, Victim
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.intake.records import CaseRecord, PersonRecord
from quipu.intake.writer import records_write
from quipu.linkage.evidence import Band
from quipu.linkage.models import (
    LinkageSettings,
    LinkRun,
    MatchNotice,
    MatchNoticeSide,
    PersonEncoding,
)
from quipu.linkage.review import linkage_settings_update, match_notice_decide
from quipu.linkage.runs import link_run_full
from quipu.linkage.services import encodings_rebuild, encodings_refresh_after_commit
from quipu.notifications.models import Notification
from quipu.tenancy.models import Institution
from tests.conftest import background_tasks_run

SECRET = "test-review-key-0123456789abcdef0123456789"
PHONE = "+57 300 555 0142"  # a possible Colombian mobile number, fictitious
OTHER_PHONE = "+51 912 345 678"
Status, Decision = MatchNotice.Status, MatchNoticeSide.Decision


@pytest.fixture(autouse=True)
def linkage_test_key(monkeypatch, tmp_path):
    monkeypatch.setenv("QUIPU_LINKAGE_KEY", SECRET)
    monkeypatch.setenv("QUIPU_LINKAGE_KEY_FILE", str(tmp_path / "linkage.key"))


def case_with_phone(country: str, first: str, surname: str, phone: str, born: str):
    """A case owned by the country's police whose victim has a phone, through the writer."""
    reference = f"{country}-REVIEW-{first}"
    record = CaseRecord(
        row=1,
        source_key=f"test:review:{country}:{first}",
        case={"reference": reference, "kind": "TIP", "status": "Active"},
        people=[
            PersonRecord(
                person={
                    "first_name": first,
                    "second_name": surname,
                    "gender": "Feminine",
                    "birthdate": date.fromisoformat(born),
                },
                victim={"age_group": "18--20"},
                identifiers=[{"kind": "phone", "value": phone}],
            )
        ],
    )
    owner = Institution.objects.get(code=f"{country}-POLICE")
    records_write(owner=owner, records=[record])
    return Victim.objects.get(case__owner=owner, case__reference=reference)


@pytest.fixture
def network(region):
    """One phone recorded in Venezuela, Colombia and Peru, then a full matching run."""
    victims = {
        "VE": case_with_phone("VE", "Yohana", "Rangel Pérez", PHONE, "1999-04-02"),
        "CO": case_with_phone("CO", "Johana", "Rangel", PHONE, "1999-02-04"),
        "PE": case_with_phone("PE", "Yoana", "Rangel Peres", PHONE, "1999-04-02"),
    }
    encodings_rebuild()
    run = link_run_full()
    return victims, run


def notice_between(a: Victim, b: Victim, *, status=(Status.PENDING, Status.LINKED)):
    encoding = {
        person_id: pk
        for pk, person_id in PersonEncoding.objects.filter(
            person_id__in=[a.person_id, b.person_id]
        ).values_list("pk", "person_id")
    }
    low, high = sorted((encoding[a.person_id], encoding[b.person_id]))
    return MatchNotice.objects.get(encoding_low=low, encoding_high=high, status__in=status)


def side_of(notice: MatchNotice, country: str) -> MatchNoticeSide:
    return notice.sides.get(institution__country_id=country)


def test_one_phone_in_three_countries_makes_notices_in_one_group(network):
    victims, run = network
    assert run.status == LinkRun.Status.DONE and run.kind == LinkRun.Kind.FULL
    notices = [
        notice_between(victims["VE"], victims["CO"]),
        notice_between(victims["VE"], victims["PE"]),
        notice_between(victims["CO"], victims["PE"]),
    ]
    assert len({notice.cluster_key for notice in notices}) == 1
    # Yohana Rangel Pérez and Yoana Rangel Peres, same date: the names agree too. Johana
    # Rangel, day and month swapped, is further than the band's design point.
    assert notices[1].band == Band.STRONG and notices[0].band == Band.IDENTIFIER
    for notice in notices:
        assert notice.band in (Band.STRONG, Band.IDENTIFIER)  # a shared phone, at least
        assert notice.identifier_kind == "phone"  # revealed only with both sides' consent
        assert notice.match_probability >= 0.99
        assert notice.sides.count() == 2
    assert run.model is not None  # kept for incremental runs
    # One notification per reviewer and run, with a link and no value of any record.
    announced = Notification.objects.filter(kind="linkage.notices_new")
    recipients = list(announced.values_list("recipient__username", flat=True))
    assert len(recipients) == len(set(recipients))  # (the sample cases also share a phone)
    assert {"focal.co", "focal.pe", "focal.ve"} <= set(recipients)
    assert all(username.startswith("focal.") for username in recipients)
    assert {row.url for row in announced} == {reverse("linkage:notices")}


def test_rule2_notices_store_no_values_of_either_record(network):
    victims, _run = network
    values = {"Yohana", "Johana", "Rangel", "3005550142", "1999"}
    for notice in MatchNotice.objects.all():
        stored = f"{notice.band} {[s.reason for s in notice.sides.all()]}"
        assert not any(value in stored for value in values), stored


def test_rule1_a_notice_page_shows_no_value_of_the_other_record(network, login):
    victims, _run = network
    notice = notice_between(victims["CO"], victims["VE"])
    client = login("focal.co")

    page = client.get(reverse("linkage:notice", args=[side_of(notice, "CO").pk]))
    listing = client.get(reverse("linkage:notices"))

    for response in (page, listing):
        assert response.status_code == 200
        html = response.content.decode()
        assert "CO-REVIEW-Johana" in html  # their own record
        assert victims["VE"].case.owner.name in html  # whom to contact
        for value in (
            "Yohana",
            "Rangel P",
            "VE-REVIEW",
            "5550142",
            "555 0142",
            "1999-04-02",
            "02/04/1999",
        ):
            assert value not in html
    assert AuditEntry.objects.filter(
        action=Action.READ, object_type="linkage.matchnoticeside"
    ).exists()


def test_both_sides_confirm_and_the_notice_becomes_a_cross_border_link(network, region):
    victims, _run = network
    notice = notice_between(victims["CO"], victims["VE"])

    match_notice_decide(
        actor=region.user("focal.co"),
        side=side_of(notice, "CO"),
        decision=Decision.CONFIRMED,
        reason="Same recruiter's phone and the same account of the journey.",
    )
    notice.refresh_from_db()
    assert notice.status == Status.PENDING  # the other side has not spoken

    match_notice_decide(
        actor=region.user("focal.ve"),
        side=side_of(notice, "VE"),
        decision=Decision.CONFIRMED,
        reason="Confirmed by phone with the Colombian police.",
    )
    notice.refresh_from_db()
    assert notice.status == Status.LINKED
    confirmed = Notification.objects.filter(kind="linkage.link_confirmed")
    assert {(row.recipient.username, row.url) for row in confirmed} == {
        ("focal.co", reverse("linkage:notice", args=[side_of(notice, "CO").pk])),
        ("focal.ve", reverse("linkage:notice", args=[side_of(notice, "VE").pk])),
    }
    decisions = AuditEntry.objects.filter(
        action=Action.UPDATE, object_type="linkage.matchnoticeside"
    )
    assert decisions.count() == 2
    assert {entry.subject_country for entry in decisions} == {"CO", "VE"}


def test_one_rejection_rejects_the_notice_and_nobody_decides_again(network, region):
    victims, _run = network
    notice = notice_between(victims["PE"], victims["VE"])
    match_notice_decide(
        actor=region.user("focal.pe"),
        side=side_of(notice, "PE"),
        decision=Decision.REJECTED,
        reason="Different people: the phone belongs to a shelter.",
    )
    notice.refresh_from_db()
    assert notice.status == Status.REJECTED

    with pytest.raises(InvalidTransition):
        match_notice_decide(
            actor=region.user("focal.ve"),
            side=side_of(notice, "VE"),
            decision=Decision.CONFIRMED,
            reason="Too late.",
        )


def test_a_decision_needs_a_reason_and_a_valid_choice(network, region):
    victims, _run = network
    side = side_of(notice_between(victims["CO"], victims["PE"]), "CO")
    focal = region.user("focal.co")
    with pytest.raises(InvalidInput):
        match_notice_decide(actor=focal, side=side, decision=Decision.CONFIRMED, reason="  ")
    with pytest.raises(InvalidInput):
        match_notice_decide(actor=focal, side=side, decision="maybe", reason="Not sure.")
    side.refresh_from_db()
    assert side.decision == ""


def test_rule1_another_countrys_focal_point_cannot_see_or_decide_a_side(network, region, login):
    victims, _run = network
    side = side_of(notice_between(victims["CO"], victims["VE"]), "CO")

    response = login("focal.pe").get(reverse("linkage:notice", args=[side.pk]))

    assert response.status_code == 404
    assert AuditEntry.objects.filter(action=Action.DENIED, object_id=str(side.pk)).exists()
    with pytest.raises(NotAllowed):
        match_notice_decide(
            actor=region.user("focal.pe"), side=side, decision=Decision.CONFIRMED, reason="x"
        )


@pytest.mark.parametrize(
    "username", ["caseworker.co", "prosecutor.co", "analyst.co", "secretariat"]
)
def test_roles_other_than_the_focal_point_do_not_review_notices(region, login, username):
    assert login(username).get(reverse("linkage:notices")).status_code == 403


def test_the_review_form_records_a_decision_in_the_browser_flow(network, login):
    victims, _run = network
    side = side_of(notice_between(victims["CO"], victims["VE"]), "CO")
    client = login("focal.co")
    url = reverse("linkage:notice", args=[side.pk])

    empty = client.post(url, {"decision": "confirmed", "reason": ""})
    assert empty.status_code == 200 and "reason" in empty.context["form"].errors
    done = client.post(url, {"decision": "confirmed", "reason": "Checked with the VE police."})

    assert done.status_code == 302
    side.refresh_from_db()
    assert side.decision == Decision.CONFIRMED


def test_secretariat_sets_the_threshold_and_nobody_else_can(region):
    settings = linkage_settings_update(actor=region.user("secretariat"), notice_threshold=0.95)
    assert settings.notice_threshold == LinkageSettings.current().notice_threshold == 0.95
    assert AuditEntry.objects.filter(object_type="linkage.linkagesettings").exists()
    with pytest.raises(NotAllowed):
        linkage_settings_update(actor=region.user("focal.co"), notice_threshold=0.6)
    with pytest.raises(InvalidInput):
        linkage_settings_update(actor=region.user("secretariat"), notice_threshold=0.2)
    assert LinkageSettings.current().notice_threshold == 0.95


def test_a_new_record_is_matched_in_the_background_with_the_trained_model(
    network, django_capture_on_commit_callbacks
):
    victims, _run = network
    newcomer = case_with_phone("EC", "Yojana", "Rangel", PHONE, "1999-04-02")
    with django_capture_on_commit_callbacks(execute=True):
        encodings_refresh_after_commit([newcomer.person_id])
    background_tasks_run()

    incremental = LinkRun.objects.filter(kind=LinkRun.Kind.INCREMENTAL).get()
    assert incremental.status == LinkRun.Status.DONE and incremental.records == 1
    assert incremental.model is None  # it used the full run's model, it trained nothing
    notice = notice_between(newcomer, victims["VE"])
    assert notice.first_run == incremental
    assert notice.cluster_key == notice_between(victims["VE"], victims["CO"]).cluster_key


def test_a_full_run_withdraws_pending_notices_it_no_longer_finds(network):
    victims, _run = network
    notice = notice_between(victims["CO"], victims["PE"])
    Identifier.objects.filter(person=victims["PE"].person).update(value=OTHER_PHONE)
    victims["PE"].person.first_name = "Carmen"
    victims["PE"].person.second_name = "Soto Díaz"
    victims["PE"].person.birthdate = None
    victims["PE"].person.save()
    encodings_rebuild()

    run = link_run_full()

    notice.refresh_from_db()
    assert notice.status == Status.WITHDRAWN and run.notices_withdrawn >= 2
    assert notice_between(victims["CO"], victims["VE"]).status == Status.PENDING


def test_link_run_command_reports_counts(network):
    out = StringIO()
    call_command("link", "run", stdout=out)
    assert "3" in out.getvalue() and LinkRun.objects.filter(kind="full").count() == 2


def test_secretariat_queues_a_full_run_that_the_worker_does(
    region, login, django_capture_on_commit_callbacks
):
    client = login("secretariat")
    assert client.get(reverse("linkage:settings")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("linkage:run_start"))
    background_tasks_run()

    assert response.status_code == 302
    run = LinkRun.objects.get()
    assert run.requested_by.username == "secretariat" and run.status == LinkRun.Status.DONE


def test_people_without_a_name_are_matched_by_identifiers_only(region):
    """De-identified rows (CTDC's) share birth year and sex with thousands of strangers: that
    alone must never make a notice, while a shared phone still does."""
    born = {"birthdate": date(1990, 5, 17), "gender": "Feminine"}
    nameless = []
    for country, phone in (("BO", None), ("AR", None), ("PY", OTHER_PHONE), ("UY", OTHER_PHONE)):
        owner = Institution.objects.get(code=f"{country}-POLICE")
        record = CaseRecord(
            row=1,
            source_key=f"test:nameless:{country}",
            case={"reference": f"{country}-NAMELESS", "kind": "TIP", "status": "Active"},
            people=[
                PersonRecord(
                    person=dict(born),
                    victim={"age_group": "18--20"},
                    identifiers=[{"kind": "phone", "value": phone}] if phone else [],
                )
            ],
        )
        records_write(owner=owner, records=[record])
        nameless.append(
            Victim.objects.get(case__owner=owner, case__reference=f"{country}-NAMELESS")
        )
    encodings_rebuild()
    link_run_full()

    bo, ar, py, uy = nameless
    assert notice_between(py, uy).band == Band.IDENTIFIER
    with pytest.raises(MatchNotice.DoesNotExist):
        notice_between(bo, ar)


def test_an_imported_file_is_encoded_and_matched_after_it_commits(
    network, tmp_path, django_capture_on_commit_callbacks
):
    """Rule 2 at the point of writing: a bulk import is encoded in its owner's scope and its
    people matched with the trained model, with no full run."""
    from quipu.intake.imports import import_file
    from tests.intake.conftest import template_row, write_template

    victims, _run = network
    row = template_row(
        case_reference="BO-IMPORT-1", victim_first_name="Yohanna", phone=PHONE, document_number=""
    )
    path = write_template(tmp_path / "bolivia.csv", [row])
    with django_capture_on_commit_callbacks(execute=True):
        # A Venezuelan victim exploited in Peru: confirmed as Bolivia's, as the guard asks.
        result = import_file(
            path=path, owner=Institution.objects.get(code="BO-POLICE"), foreign_confirmed=True
        )
    background_tasks_run()

    assert result.ok
    imported = Victim.objects.get(case__reference="BO-IMPORT-1")
    assert PersonEncoding.objects.filter(person_id=imported.person_id).exists()
    assert notice_between(imported, victims["VE"]).identifier_kind == "phone"
    assert LinkRun.objects.filter(kind=LinkRun.Kind.INCREMENTAL).exists()


def test_the_inbox_filters_by_the_role_of_the_own_record(network, login):
    client = login("focal.co")
    victims = client.get(reverse("linkage:notices"), {"role": "victim"})
    perpetrators = client.get(reverse("linkage:notices"), {"role": "perpetrator"})

    assert "CO-REVIEW-Johana" in victims.content.decode()
    assert "CO-REVIEW-Johana" not in perpetrators.content.decode()
    assert "Por revisar (0)" in perpetrators.content.decode()  # counts follow the filter
    assert "Coincidencia de identificador" in victims.content.decode()  # the band, in words
    assert "99,9" not in victims.content.decode()  # never the matcher's score
    assert client.get(reverse("linkage:notices"), {"role": "judge"}).status_code == 404

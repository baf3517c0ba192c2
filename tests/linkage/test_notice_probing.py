"""Match notices are not an oracle (DESIGN.md rule 1(a), issue 13 finding 3; the threat model
is docs/threat-model-notices.md): a notice says which institution and the band of evidence
that agreed, never a score or a disagreement; recent records are rate-limited per day and
other country; a burst raises a probe alert; more is revealed only with both sides' consent."""

import datetime
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from quipu.audit.models import Action, AuditEntry
from quipu.cases.models import Identifier, Person, Victim
from quipu.intake.records import CaseRecord, PersonRecord
from quipu.intake.writer import records_write
from quipu.linkage.evidence import Band, band_of
from quipu.linkage.models import LinkageSettings, MatchNotice, NoticeQuota, PersonEncoding
from quipu.linkage.quotas import held_notices_release
from quipu.linkage.review import linkage_settings_update, match_notice_decide
from quipu.linkage.runs import link_people, link_run_full
from quipu.linkage.services import encodings_rebuild, encodings_refresh
from quipu.notifications.models import Notification
from quipu.tenancy.models import Institution
from tests.linkage.test_review import PHONE, case_with_phone, side_of

# The Brazilian police's record the attacker probes for, and its (fictitious) mobile.
TARGET_PHONE = "+55 11 98765 4321"
BR_PHONES = [f"+55 11 98765 43{n:02d}" for n in range(30, 36)]
PE_PHONE = "+51 912 345 600"
# Words of the old notice that told a probe what differs (es, the default language).
ORACLE_WORDS = ("similitud", "Año de nacimiento", "Sexo", "diferente", "igual", "99,9", "0,40")


def person_record(country, first, surname, phone, born, gender, *, key):
    return CaseRecord(
        row=1,
        source_key=f"test:probe:{country}:{key}",
        case={"reference": f"{country}-PROBE-{key}", "kind": "TIP", "status": "Active"},
        people=[
            PersonRecord(
                person={
                    "first_name": first,
                    "second_name": surname,
                    "gender": gender,
                    "birthdate": date.fromisoformat(born),
                },
                victim={"age_group": "18--20"},
                identifiers=[{"kind": "phone", "value": phone}] if phone else [],
            )
        ],
    )


def write(owner_code, record, *, actor=None) -> Victim:
    """A record written through the writer, by a user (`actor`) or by the system."""
    owner = Institution.objects.get(code=owner_code)
    records_write(owner=owner, records=[record], actor=actor)
    return Victim.objects.get(case__owner=owner, case__reference=record.case["reference"])


def probe(region, first, surname, phone, born, gender, *, key, country="CO") -> Victim:
    """What the attacker did: a caseworker imports a record, and it is matched at once."""
    actor = region.user(f"caseworker.{country.lower()}")
    record = person_record(country, first, surname, phone, born, gender, key=key)
    victim = write(f"{country}-POLICE", record, actor=actor)
    encodings_refresh([victim.person_id])
    link_people([victim.person_id])
    return victim


def notice_of(victim: Victim, *, with_country: str = "BR") -> MatchNotice:
    """The victim's notice with a record of `with_country`."""
    encoding = PersonEncoding.objects.get(person_id=victim.person_id).pk
    notices = MatchNotice.objects.filter(sides__encoding_id=encoding)
    return notices.filter(sides__institution__country_id=with_country).get()


@pytest.fixture
def brazil(region):
    """The Brazilian police's victims (written by the system, as the demo is), three
    countries sharing one phone, and a full run so that new records are matched at once."""
    target = write(
        "BR-POLICE",
        person_record("BR", "Bruna", "Costa Silva", TARGET_PHONE, "2002-03-05", "Feminine", key=0),
    )
    for n, phone in enumerate(BR_PHONES, start=1):
        write(
            "BR-POLICE",
            person_record("BR", f"Ana{n}", "Lima", phone, f"19{70 + n}-01-01", "Feminine", key=n),
        )
    write("PE-POLICE", person_record("PE", "Rosa", "Quispe", PE_PHONE, "1980-01-01", "F", key=1))
    case_with_phone("VE", "Yohana", "Rangel Pérez", PHONE, "1999-04-02")
    case_with_phone("CO", "Johana", "Rangel", PHONE, "1999-02-04")
    encodings_rebuild()
    link_run_full()
    return target


def test_rule1_the_probe_attack_of_issue_13_learns_no_sex_year_or_name(brazil, region, login):
    """The attack as reported: a probe with another country's phone, then a closer probe.
    The first notice names the institution and says "identifier hit"; it never says what
    differs or how similar, on the pages or in what the notice stores. The second probe
    carries the same phone from the same country: the hit was reported, nothing new comes."""
    far = probe(region, "Carlos", "Mendoza", TARGET_PHONE, "1975-06-01", "Masculine", key=1)
    near = probe(region, "Brenda", "Costa", TARGET_PHONE, "2002-01-01", "Feminine", key=2)
    client = login("focal.co")

    notice = notice_of(far)
    assert notice.status == MatchNotice.Status.PENDING
    assert notice.band == Band.IDENTIFIER  # a wrong name next to the right phone
    stored = {f.attname: getattr(notice, f.attname) for f in MatchNotice._meta.concrete_fields}
    assert "components" not in stored  # the per-field agreement is gone from storage
    page = client.get(reverse("linkage:notice", args=[side_of(notice, "CO").pk]))
    listing = client.get(reverse("linkage:notices"))
    for response in (page, listing):
        html = response.content.decode()
        assert brazil.case.owner.name in html  # which institution: whom to contact
        assert "Coincidencia de identificador" in html  # the band, in words
        for word in ORACLE_WORDS:
            assert word not in html, word
        for value in ("Bruna", "Costa Silva", "2002-03-05", "BR-PROBE"):
            assert value not in html
    encoding = PersonEncoding.objects.get(person_id=near.person_id).pk
    assert not MatchNotice.objects.filter(sides__encoding_id=encoding).exists()


def test_rule1_an_identifier_hit_is_reported_once_per_identifier_and_pair_of_countries(
    brazil, region
):
    first = probe(region, "Carlos", "Mendoza", TARGET_PHONE, "1975-06-01", "Masculine", key=1)
    again = probe(region, "Diego", "Paz", TARGET_PHONE, "1960-02-02", "Masculine", key=2)
    elsewhere = probe(
        region, "Hugo", "Rojas", TARGET_PHONE, "1965-03-03", "Masculine", key=3, country="PE"
    )
    assert notice_of(first).band == Band.IDENTIFIER
    with pytest.raises(MatchNotice.DoesNotExist):
        notice_of(again)  # same phone, same two countries
    assert notice_of(elsewhere).band == Band.IDENTIFIER  # Peru and Brazil: a new pair
    # A full run keeps the one notice already shown rather than swapping it.
    link_run_full()
    assert notice_of(first).status == MatchNotice.Status.PENDING
    with pytest.raises(MatchNotice.DoesNotExist):
        notice_of(again)


def test_rule1_a_notice_band_names_only_the_evidence_that_agreed():
    assert band_of({"token": "phone", "name_dob_dice": 0.93, "sex": "different"}) == Band.STRONG
    assert band_of({"token": "phone", "name_dob_dice": 0.40, "birth_year": "different"}) == (
        Band.IDENTIFIER
    )
    assert band_of({"name_dob_dice": 0.97, "birth_year": "equal", "sex": "equal"}) == Band.NAME
    for band in Band:
        for word in ("different", "similarity", "year", "sex", "%"):
            assert word not in str(band.label).lower()


def test_rule1_edits_of_a_probe_record_do_not_ask_again(brazil, region):
    """After its notice, editing the probe (a closer name, then no phone) and re-matching it
    neither changes the band nor withdraws the notice: only a full run re-reads them."""
    victim = probe(region, "Carlos", "Mendoza", TARGET_PHONE, "1975-06-01", "Masculine", key=1)
    notice = notice_of(victim)
    assert notice.band == Band.IDENTIFIER
    person = Person.objects.get(pk=victim.person_id)
    person.first_name, person.second_name = "Bruna", "Costa Silva"
    person.birthdate, person.gender = date(2002, 3, 5), "Feminine"
    person.save()
    encodings_refresh([person.pk])
    link_people([person.pk])
    notice.refresh_from_db()
    assert notice.band == Band.IDENTIFIER

    Identifier.objects.filter(person=person).delete()
    person.first_name = "Zacarías"
    person.save()
    encodings_refresh([person.pk])
    link_people([person.pk])
    notice.refresh_from_db()
    assert notice.status == MatchNotice.Status.PENDING


@pytest.fixture
def strict_limits(region):
    return linkage_settings_update(
        actor=region.user("secretariat"), notice_daily_limit=2, probe_alert_at=3
    )


def test_rule1_notices_from_recent_records_are_limited_per_day_and_other_country(
    brazil, region, login, strict_limits
):
    probes = [
        probe(region, f"Pedro{n}", "Ruiz", phone, "1990-01-01", "Masculine", key=n)
        for n, phone in enumerate(BR_PHONES[:5], start=10)
    ]
    statuses = [notice_of(victim).status for victim in probes]
    assert statuses.count(MatchNotice.Status.PENDING) == 2
    assert statuses.count(MatchNotice.Status.HELD) == 3
    quota = NoticeQuota.objects.get(institution__code="CO-POLICE", other_country="BR")
    assert (quota.notices, quota.held) == (2, 3)

    # Held notices are seen by neither side, in lists or by id.
    held = next(notice_of(v) for v in probes if notice_of(v).status == MatchNotice.Status.HELD)
    for username, country in (("focal.co", "CO"), ("focal.br", "BR")):
        client = login(username)
        assert (
            client.get(reverse("linkage:notice", args=[side_of(held, country).pk])).status_code
            == 404
        )
        client.logout()

    # Another country has its own quota: a probe against Peru is shown.
    against_peru = probe(region, "Luis", "Soto", PE_PHONE, "1980-01-01", "Masculine", key=20)
    assert notice_of(against_peru, with_country="PE").status == MatchNotice.Status.PENDING

    # The next day, held notices are released within that day's limit, oldest first.
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert held_notices_release(now=tomorrow) == 2
    assert MatchNotice.objects.filter(status=MatchNotice.Status.HELD).count() == 1
    assert held_notices_release(now=tomorrow) == 0  # that day's room is used
    assert held_notices_release(now=tomorrow + datetime.timedelta(days=1)) == 1


def test_rule1_records_the_system_wrote_are_not_charged(brazil, region, strict_limits):
    """Demo and operator loads (no user) are not probes: their notices are never held."""
    for n, phone in enumerate(BR_PHONES[:4], start=30):
        victim = write(
            "CO-POLICE", person_record("CO", f"Sys{n}", "Vega", phone, "1990-01-01", "M", key=n)
        )
        encodings_refresh([victim.person_id])
        link_people([victim.person_id])
        assert notice_of(victim).status == MatchNotice.Status.PENDING
    assert not NoticeQuota.objects.exists()


def test_rule1_a_users_edit_of_an_old_record_is_charged_too(brazil, region, strict_limits):
    """Probing by editing records the system wrote (a new phone on an old case) counts as
    writing: the audit log says a user changed them."""
    from quipu.cases.services import identifiers_replace

    statuses = []
    for n, phone in enumerate(BR_PHONES[:3], start=50):
        victim = write(
            "CO-POLICE", person_record("CO", f"Old{n}", "Vega", None, "1990-01-01", "M", key=n)
        )
        identifiers_replace(
            actor=region.user("caseworker.co"),
            victim=victim,
            identifiers=[{"kind": "phone", "value": phone}],
        )
        encodings_refresh([victim.person_id])
        link_people([victim.person_id])
        statuses.append(notice_of(victim).status)
    assert statuses == [MatchNotice.Status.PENDING] * 2 + [MatchNotice.Status.HELD]


def test_rule1_a_burst_of_probe_notices_alerts_the_secretariat_and_the_other_country(
    brazil, region, login, strict_limits
):
    for n, phone in enumerate(BR_PHONES[:4], start=40):
        probe(region, f"Pedro{n}", "Ruiz", phone, "1990-01-01", "Masculine", key=n)

    alerts = Notification.objects.filter(kind="linkage.probe_alert")
    recipients = dict(alerts.values_list("recipient__username", "url"))
    assert recipients["secretariat"] == reverse("linkage:settings")
    assert recipients["focal.br"] == reverse("linkage:notices")
    assert not any(name.endswith(".co") for name in recipients)  # not the probing side
    assert alerts.count() == len(recipients)  # once a day, not once per notice
    assert AuditEntry.objects.filter(object_type="linkage.probealert").count() == 1

    prober = Institution.objects.get(code="CO-POLICE").name
    for username, page, sees in (
        ("secretariat", "linkage:settings", True),
        ("focal.br", "linkage:notices", True),
        ("focal.pe", "linkage:notices", False),
        ("focal.co", "linkage:notices", False),
    ):
        client = login(username)
        html = client.get(reverse(page)).content.decode()
        section = html[html.index('id="probe-alerts"') :]
        assert (prober in section) is sees, username
        assert "Pedro" not in html
        client.logout()


def test_the_secretariat_sets_the_limits_with_clear_errors(region, login):
    client = login("secretariat")
    response = client.post(
        reverse("linkage:settings"),
        {"notice_threshold": 0.9, "notice_daily_limit": 0, "probe_alert_at": 5, "recent_days": 7},
    )
    assert response.status_code == 200
    assert "notice_daily_limit" in response.context["form"].errors
    saved = client.post(
        reverse("linkage:settings"),
        {"notice_threshold": 0.9, "notice_daily_limit": 4, "probe_alert_at": 3, "recent_days": 2},
    )
    assert saved.status_code == 302
    current = LinkageSettings.current()
    assert (current.notice_daily_limit, current.probe_alert_at, current.recent_days) == (4, 3, 2)


@pytest.mark.parametrize(
    ("co_consents", "br_consents", "revealed"), [(True, True, True), (True, False, False)]
)
def test_confirming_reveals_more_only_with_both_sides_consent(
    brazil, region, login, co_consents, br_consents, revealed
):
    victim = probe(region, "Bruna", "Costa", TARGET_PHONE, "2002-03-05", "Feminine", key=1)
    notice = notice_of(victim)
    match_notice_decide(
        actor=region.user("focal.co"),
        side=side_of(notice, "CO"),
        decision="confirmed",
        reason="Checked by phone with the Brazilian police.",
        reveal_consent=co_consents,
    )
    client = login("focal.co")
    url = reverse("linkage:notice", args=[side_of(notice, "CO").pk])
    assert brazil.case.reference not in client.get(url).content.decode()  # one side only
    match_notice_decide(
        actor=region.user("focal.br"),
        side=side_of(notice, "BR"),
        decision="confirmed",
        reason="Same victim.",
        reveal_consent=br_consents,
    )
    html = client.get(url).content.decode()
    assert (brazil.case.reference in html) is revealed
    assert ("Número de teléfono" in html) is revealed  # the kind, never the number
    assert "98765" not in html


def test_a_rejecting_side_cannot_consent_to_reveal(brazil, region):
    victim = probe(region, "Bruna", "Costa", TARGET_PHONE, "2002-03-05", "Feminine", key=1)
    side = side_of(notice_of(victim), "CO")
    match_notice_decide(
        actor=region.user("focal.co"),
        side=side,
        decision="rejected",
        reason="Not the same person.",
        reveal_consent=True,
    )
    side.refresh_from_db()
    assert side.reveal_consent is False
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, object_type="linkage.matchnoticeside", object_id=str(side.pk)
    ).exists()

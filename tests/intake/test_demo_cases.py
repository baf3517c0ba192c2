"""The demo's synthetic cases: the shape the region's reports describe, and written like imports."""

from collections import Counter, defaultdict
from io import StringIO

import phonenumbers
import pytest

from quipu.cases import validation
from quipu.cases.models import Case, Identifier
from quipu.intake.demo import demo_build
from quipu.intake.synthetic import CASES_BY_COUNTRY, CORRIDORS, demo_cases
from quipu.tenancy.countries import REGIONAL_PLATFORM

SOUTH_AMERICA = set(REGIONAL_PLATFORM)


@pytest.fixture(scope="module")
def sample():
    return list(demo_cases(4000))


def _victims(sample):
    return [(owner[:2], record, record.victims[0]) for owner, record in sample]


def test_about_two_thirds_of_victims_are_women_and_girls(sample):
    genders = Counter(v.person["gender"] for _, _, v in _victims(sample))
    women = (genders["Feminine"] + genders["TransgenderFeminine"]) / sum(genders.values())
    assert 0.6 <= women <= 0.72


def test_sexual_exploitation_and_forced_labour_dominate(sample):
    forms = Counter(
        form
        for _, record, victim in _victims(sample)
        if record.case["kind"] == "TIP"
        for form in victim.victim["exploitation_types"].present
    )
    top_two = {form for form, _ in forms.most_common(2)}
    assert top_two == {"SexualExploitation", "ForcedLabour"}
    assert (forms["SexualExploitation"] + forms["ForcedLabour"]) / forms.total() > 0.75


def test_about_one_case_in_ten_is_smuggling(sample):
    kinds = Counter(record.case["kind"] for _, record in sample)
    assert 0.07 <= kinds["SOM"] / kinds.total() <= 0.13


def test_most_victims_come_from_the_region_and_cross_borders_along_real_corridors(sample):
    corridors = {path[: end + 1] for path, _ in CORRIDORS for end in range(1, len(path))}
    regional, crossed = 0, 0
    for found_in, _, victim in _victims(sample):
        regional += victim.person["citizenship_id"] in SOUTH_AMERICA
        journey = tuple(dict.fromkeys(e["country_id"] for e in victim.route_events))
        if len(journey) > 1:
            crossed += 1
            assert journey in corridors, journey
            assert journey[-1] == found_in or found_in in journey
    assert regional / len(sample) > 0.95
    assert 0.3 < crossed / len(sample) < 0.6


def test_records_pass_the_same_checks_as_typed_or_imported_cases(sample):
    for _, _, victim in _victims(sample):
        validation.birthdate_check(victim.person.get("birthdate"))
        validation.age_check(victim.victim["age_when_trafficked"])
        validation.route_order_check([(e["event_type"], e["date"]) for e in victim.route_events])
    phones = [
        i["value"]
        for _, record in sample
        for person in record.people
        for i in person.identifiers
        if i["kind"] == "phone"
    ]
    assert len(phones) > 2000
    for phone in phones:
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number)
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone


def test_some_people_and_phones_appear_in_more_than_one_country(sample):
    countries_by_phone = defaultdict(set)
    countries_by_document = defaultdict(set)
    for owner, record in sample:
        for person in record.people:
            for identifier in person.identifiers:
                if identifier["kind"] == "phone":
                    countries_by_phone[identifier["value"]].add(owner[:2])
                if identifier["kind"] == "document":
                    countries_by_document[identifier["value"]].add(owner[:2])
    shared_phones = [p for p, countries in countries_by_phone.items() if len(countries) > 1]
    assert any({"VE", "CO", "PE"} & countries_by_phone[p] >= {"CO", "PE"} for p in shared_phones)
    assert sum(len(c) > 1 for c in countries_by_document.values()) >= 10


@pytest.mark.django_db
def test_the_demo_writes_through_the_importer_and_a_second_run_changes_nothing(region):
    first = demo_build(stdout=StringIO(), total=400)
    assert first.created >= 400 and first.updated == 0
    demo = Case.objects.filter(source_key__startswith="demo:")
    assert demo.count() == first.created
    assert set(demo.values_list("owner__country_id", flat=True)) == set(CASES_BY_COUNTRY)
    assert Identifier.objects.filter(person__owner__code__startswith="VE-").exists()
    second = demo_build(stdout=StringIO(), total=400)
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)


def test_most_victims_found_abroad_are_referred_to_their_consulate(sample):
    abroad = [
        record
        for owner, record, victim in _victims(sample)
        if record.case["kind"] == "TIP"
        and victim.person["citizenship_id"] not in (None, owner[:2])
        and record.case.get("status") != "Active"  # a first record, not one met on the way
    ]
    referred = [r for r in abroad if r.case.get("referred_organisation", "").startswith("Consul")]
    assert 0.45 <= len(referred) / len(abroad) <= 0.75
    assert all(r.case["outgoing_referral_date"] >= r.case["registered_on"] for r in referred)
    at_home = [
        record
        for owner, record, victim in _victims(sample)
        if victim.person["citizenship_id"] == owner[:2]
    ]
    assert not any(r.case.get("referred_organisation") for r in at_home)


@pytest.mark.django_db
def test_about_half_the_demo_s_victims_have_a_support_plan_once(region):
    from quipu.cases.models import SupportPlan, Victim

    demo_build(stdout=StringIO(), total=400)
    victims = Victim.objects.filter(case__source_key__startswith="demo:", case__kind="TIP")
    with_plan = victims.filter(support_plans__isnull=False).distinct().count()
    assert 0.4 <= with_plan / victims.count() <= 0.7
    plans = SupportPlan.objects.count()
    demo_build(stdout=StringIO(), total=400)
    assert SupportPlan.objects.count() == plans

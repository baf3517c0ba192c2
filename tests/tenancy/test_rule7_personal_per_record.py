"""Rule 7: personal access is decided per record, from the role that grants it on that record.

A user with two roles gets, for each record, what one of those roles grants on it: never the
personal reach of one role over the wider de-identified reach of the other. Every channel that
can show a personal field is asked: the case page, the API (case, persons, identifiers, search),
the list's search and the exports.
"""

import csv
import io
import itertools
import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from quipu.cases.models import Case
from quipu.intake.models import ExportJob, JobStatus
from quipu.tenancy.models import Institution, Membership, MembershipRole, User
from quipu.tenancy.roles import Role
from tests.conftest import background_tasks_run

pytestmark = pytest.mark.django_db

NONE, DEIDENTIFIED, PERSONAL = 0, 1, 2

# One case per kind of owner, each with a victim whose name, phone and document are unique.
OWNERS = {
    "police": "CO-POLICE",
    "shelter": "CO-SHELTER",
    "consulate": "CO-CONSULATE-EC",  # Colombia's consulate in Ecuador: sealed (docs/decisions.md)
    "foreign": "PE-POLICE",
}
PHONES = {
    "police": "+573001110001",
    "shelter": "+573001110002",
    "consulate": "+573001110003",
    "foreign": "+51987654321",
}


def _name(key: str) -> str:
    return f"Rolepair{key.capitalize()}"


def _document(key: str) -> str:
    return f"RP{len(key)}{key.upper()[:3]}77"


def _reference(key: str) -> str:
    return f"RULE7-{key.upper()}"


@pytest.fixture
def records(region):
    from quipu.intake.records import CaseRecord, PersonRecord
    from quipu.intake.writer import records_write

    for key, owner in OWNERS.items():
        record = CaseRecord(
            row=1,
            source_key=f"rule7:{key}",
            case={"reference": _reference(key), "kind": "TIP", "registration_year": 2025},
            people=[
                PersonRecord(
                    person={"first_name": _name(key), "second_name": "Apellido"},
                    victim={"age_group": "18--20"},
                    identifiers=[
                        {"kind": "phone", "value": PHONES[key]},
                        {"kind": "document", "value": _document(key), "document_type": "Passport"},
                    ],
                )
            ],
        )
        records_write(owner=Institution.objects.get(code=owner), records=[record])
    return {key: Case.objects.get(reference=_reference(key)) for key in OWNERS}


def _user_with(roles: tuple[str, ...], institution: str) -> User:
    user = User.objects.create(username=f"{'+'.join(roles)}@{institution}".lower())
    membership = Membership.objects.create(
        user=user, institution=Institution.objects.get(code=institution)
    )
    for role in roles:
        MembershipRole.objects.create(membership=membership, role=role)
    return user


def _export(user: User, export_format: str) -> str:
    """The file an export by `user` wrote; empty when their roles export nothing."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("intake:export_start"), {"export_format": export_format})
    if response.status_code == 403:
        return ""
    assert response.status_code == 302
    background_tasks_run()
    job = ExportJob.objects.filter(requested_by=user).latest("created_at")
    assert job.status == JobStatus.DONE
    return Path(job.stored_path).read_text(encoding="utf-8")


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _searched(client: APIClient, text: str) -> set[str]:
    response = client.post(reverse("api:case-search"), {"q": text}, format="json")
    if response.status_code == 403:  # a role that reads no case
        return set()
    assert response.status_code == 200
    return {row["reference"] for row in response.json()["results"]}


def _level(shown: bool, personal: bool) -> int:
    return PERSONAL if personal else DEIDENTIFIED if shown else NONE


def _observed(user: User, cases: dict[str, Case]) -> dict[str, dict[str, int]]:
    """For each record, what each channel gave `user`: NONE, DEIDENTIFIED or PERSONAL. Channels
    that only exist for personal data (identifiers, search by name) give NONE or PERSONAL."""
    web, api = Client(), _api(user)
    web.force_login(user)
    persons = api.get(reverse("api:persons"), {"page_size": 500}).content.decode()
    identifiers = api.get(reverse("api:identifiers"), {"page_size": 500}).content.decode()
    exported = json.loads(_export(user, "json") or "[]")
    observed = {}
    for key, case in cases.items():
        page = web.get(reverse("cases:detail", args=[case.pk]))
        detail = api.get(reverse("api:case", args=[case.pk]))
        rows = [row for row in exported if row.get("case_reference") == _reference(key)]
        personal = PERSONAL if _name(key) in persons else NONE
        observed[key] = {
            "page": _level(page.status_code == 200, _name(key) in page.content.decode()),
            "api case": _level(detail.status_code == 200, _name(key) in detail.content.decode()),
            "api persons": personal,
            "api identifiers": PERSONAL if _document(key) in identifiers else NONE,
            "search by name": PERSONAL if _reference(key) in _searched(api, _name(key)) else NONE,
            "search by document": PERSONAL
            if _reference(key) in _searched(api, _document(key))
            else NONE,
            "export": _level(bool(rows), _name(key) in json.dumps(rows)),
        }
    return observed


# What each role alone grants on a record, from DESIGN.md section 2 (written out here, not read
# from ROLE_GRANTS, so that the code is checked against the design and not against itself).
# "own": the user's institution; "national": another institution of the country; "sealed": the
# country's consulate abroad when it is not the user's; "foreign": another country's.
GRANTS = {
    "secretariat": {"own": NONE, "national": NONE, "sealed": NONE, "foreign": NONE},
    "focal_point": {"own": PERSONAL, "national": PERSONAL, "sealed": NONE, "foreign": NONE},
    "caseworker": {"own": PERSONAL, "national": NONE, "sealed": NONE, "foreign": NONE},
    "prosecutor": {"own": PERSONAL, "national": PERSONAL, "sealed": NONE, "foreign": NONE},
    "consular_officer": {"own": NONE, "national": NONE, "sealed": NONE, "foreign": NONE},
    "analyst": {"own": DEIDENTIFIED, "national": DEIDENTIFIED, "sealed": NONE, "foreign": NONE},
}


def _relation(institution: str, key: str) -> str:
    owner = OWNERS[key]
    if owner == institution:
        return "own"
    if key == "foreign":
        return "foreign"
    return "sealed" if key == "consulate" else "national"


def _expected(roles: tuple[str, ...], institution: str, channels) -> dict[str, dict[str, int]]:
    expected = {}
    for key in OWNERS:
        level = max(GRANTS[role][_relation(institution, key)] for role in roles)
        expected[key] = {
            channel: level if level != DEIDENTIFIED or channel in FULL_CHANNELS else NONE
            for channel in channels
        }
    return expected


FULL_CHANNELS = {"page", "api case", "export"}  # they show a record de-identified, too
INSTITUTIONS = ("CO-POLICE", "CO-CONSULATE-EC")
ROLES = [role.value for role in Role]
SINGLES = [(role,) for role in ROLES]
PAIRS = list(itertools.combinations(ROLES, 2))


@pytest.mark.parametrize("institution", INSTITUTIONS)
@pytest.mark.parametrize("roles", SINGLES + PAIRS, ids=lambda roles: "+".join(roles))
def test_rule7_every_pair_of_roles_gets_per_record_only_what_one_role_grants(
    records, roles, institution
):
    observed = _observed(_user_with(roles, institution), records)
    expected = _expected(roles, institution, next(iter(observed.values())))
    wrong = [
        f"{key} via {channel}: got {observed[key][channel]}, one role grants at most {level}"
        for key, channels in expected.items()
        for channel, level in channels.items()
        if observed[key][channel] != level
    ]
    assert not wrong, "\n".join(wrong)


# The attack of issue 13, finding 1, as it was made: a focal point gives one user at the police
# both the caseworker and the analyst role.


@pytest.fixture
def caseworker_analyst(records):
    return _user_with(("caseworker", "analyst"), "CO-POLICE")


OTHER_VICTIM = ("shelter", "consulate")  # another institution's, and the sealed consulate's


@pytest.mark.parametrize("export_format", ["json", "csv"])
def test_rule7_caseworker_analyst_export_holds_only_their_institutions_personal_data(
    caseworker_analyst, export_format
):
    exported = _export(caseworker_analyst, export_format)
    assert _name("police") in exported and _document("police") in exported
    assert _reference("shelter") in exported  # the country's case, de-identified
    for key in OTHER_VICTIM:
        for value in (_name(key), PHONES[key], _document(key)):
            assert value not in exported, f"{key}: {value} in the {export_format} export"
    if export_format == "csv":
        rows = list(csv.DictReader(io.StringIO(exported)))
        shelter = next(r for r in rows if r["case_reference"] == _reference("shelter"))
        assert shelter["victim_first_name"] == "" and shelter["phone"] == ""


@pytest.mark.parametrize("via", ["web", "api"])
def test_rule7_caseworker_analyst_search_finds_no_other_institutions_victim(
    caseworker_analyst, via
):
    api = _api(caseworker_analyst)
    web = Client()
    web.force_login(caseworker_analyst)

    def found(text: str) -> set[str]:
        if via == "api":
            return _searched(api, text)
        page = web.post(reverse("cases:list"), {"q": text}, follow=True).content.decode()
        return {_reference(key) for key in OWNERS if _reference(key) in page}

    assert found(_name("police")) == {_reference("police")}
    assert found("300 111 0001") == {_reference("police")}  # a phone, typed as people do
    for key in OTHER_VICTIM:
        for text in (_name(key), PHONES[key], _document(key), PHONES[key][-7:]):
            assert found(text) == set(), f"{key} found by {text!r}"
    assert found(_reference("shelter")) == {_reference("shelter")}  # by reference, as analysts


def test_rule7_no_code_decides_personal_access_once_per_user():
    """`can(user, READ_PERSONAL)` answers for the user, not for a record; rule 7 asks
    `personal_readable` (quipu/tenancy/permissions.py) instead, everywhere."""
    import re

    import quipu

    per_user = re.compile(r"\bcan\([^)]*READ_PERSONAL")
    offenders = [
        f"{path}:{number}"
        for path in Path(quipu.__file__).parent.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if per_user.search(line)
    ]
    assert not offenders, offenders


# The route matrix again (test_permission_matrix.py), for one user holding two roles at the
# police: each route and record must answer as one of the two roles alone answers there.


def _route_answers(user: User) -> dict[str, str]:
    """url -> "allowed", "forbidden" or "error", for every route of the matrix."""
    from tests.tenancy import test_permission_matrix as matrix

    client = Client()
    client.force_login(user)
    answers = {}
    for route_name, route in matrix.ROUTES.items():
        for url, _owned in matrix._requests_for(route_name, route, "CO"):
            code = client.get(url).status_code
            answers[url] = (
                "error" if code >= 500 else "forbidden" if code in (401, 403, 404) else "allowed"
            )
    return answers


def test_rule7_every_pair_of_roles_passes_the_route_matrix_as_one_of_its_roles(region):
    from tests.matrix_rules import COUNTRY_ROLES

    alone = {role: _route_answers(_user_with((role,), "CO-POLICE")) for role in COUNTRY_ROLES}
    wrong = []
    for pair in itertools.combinations(COUNTRY_ROLES, 2):
        for url, answer in _route_answers(_user_with(pair, "CO-POLICE")).items():
            expected = "allowed" if "allowed" in {alone[r][url] for r in pair} else "forbidden"
            if answer != expected:
                wrong.append(f"{'+'.join(pair)} {url}: {answer}, one role alone: {expected}")
    assert not wrong, "\n".join(wrong)

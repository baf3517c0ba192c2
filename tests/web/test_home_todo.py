"""The home's to-do list (issue 14, item 4): each demo role sees what waits on it, counted as an
independent query of the database counts it, each line leading to a page that lists those
items; nothing sealed or out of scope is shown or counted (rules 1 and 7); the home stays cheap.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quipu.cases.models import Victim
from quipu.cooperation.helpline.models import HelplineReport
from quipu.cooperation.jits.models import Jit, Member, MemberState, Task, TaskStatus
from quipu.cooperation.referrals.models import Referral, ReferralStep
from quipu.cooperation.requests.models import InformationRequest
from quipu.indicators.round_models import Submission
from quipu.intake.models import ImportJob, JobStatus
from quipu.linkage.models import LinkRun, MatchNotice, MatchNoticeSide, PersonEncoding
from quipu.linkage.services import encodings_rebuild
from quipu.tenancy.models import Institution
from tests.cooperation.helpline.conftest import logged
from tests.indicators.conftest import framework  # noqa: F401  the baseline survey
from tests.indicators.rounds_helpers import round_open

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
NOW = timezone.now()


def todo_of(response) -> dict[str, dict]:
    """{kind: {"count", "href"}} of the home's `<ul class="todo">` (the HTML contract)."""
    html = response.content.decode()
    block = re.search(r'<ul class="todo">(.*?)</ul>', html, re.S)
    if block is None:
        return {}
    items = {}
    for kind, body in re.findall(r'<li data-todo="([^"]+)">(.*?)</li>', block.group(1), re.S):
        links = re.findall(r'<a href="([^"]+)">', body)
        assert len(links) == 1, f"{kind}: one link per item"
        count = re.search(r'<span class="count">(\d+)</span>', body)
        items[kind] = {"count": int(count.group(1)), "href": links[0].replace("&amp;", "&")}
    return items


def institution(code: str) -> Institution:
    return Institution.objects.get(code=code)


def victim_of(country: str) -> Victim:
    return Victim.objects.get(case__reference=f"{country}-TEST-1")


def request_to(receiving: str, *, by: str, state: str = "sent", due: int = 10):
    owner = institution(by)
    return InformationRequest.objects.create(
        requesting_institution=owner,
        requesting_country_id=owner.country_id,
        receiving_country_id=receiving,
        legal_basis="prosecutors",
        purpose="Investigación de una red de captación.",
        categories=["route"],
        urgency="routine",
        due_on=TODAY + due * DAY,
        state=state,
        sent_at=NOW,
    )


def referral(by: str, victim: Victim, home: str, *, state: str = "sent") -> Referral:
    owner = institution(by)
    return Referral.objects.create(
        referring_institution=owner,
        referring_country_id=owner.located_in_id or owner.country_id,
        home_country_id=home,
        victim=victim,
        assistance=["shelter"],
        urgency="routine",
        contact_name="Oficina consular",
        state=state,
        sent_at=NOW,
    )


def consulate_of(country: str) -> Institution:
    return Institution.objects.get(code__startswith=f"{country}-CONSULATE-")


@pytest.fixture
def work(region, framework):  # noqa: F811
    """Pending work of Colombia's users, beside work of others that must not reach them."""
    # Information requests: two to Colombia still open (one late), one answered, one to Peru.
    request_to("CO", by="PE-PROSECUTOR", due=-2)
    request_to("CO", by="AR-PROSECUTOR", due=12)
    request_to("CO", by="AR-PROSECUTOR", state="approved")
    request_to("PE", by="AR-PROSECUTOR")
    # Colombia's prosecutors asked Peru; Peru asked a question back.
    request_to("PE", by="CO-PROSECUTOR", state="clarification")

    # Referrals: one of a Colombian national, from Peru's police, waiting for an answer.
    referral("PE-POLICE", victim_of("PE"), "CO")
    referral("EC-POLICE", victim_of("EC"), "CO", state="accepted")
    # Colombia's consulate abroad referred a victim; a step is late. Another consulate's
    # referral in the same host country has a late step too: sealed from consul.co.
    own = referral(consulate_of("CO").code, victim_of("CO"), "CO", state="accepted")
    ReferralStep.objects.create(referral=own, kind="shelter", due_on=TODAY - DAY)
    ReferralStep.objects.create(referral=own, kind="documentation", due_on=TODAY + 30 * DAY)
    other = referral(consulate_of("AR").code, victim_of("AR"), "AR", state="accepted")
    ReferralStep.objects.create(referral=other, kind="shelter", due_on=TODAY - DAY)

    # A JIT of Colombia's prosecutors: two open tasks for prosecutor.co (one late), one done,
    # and one open task in a JIT Colombia is not a member of.
    prosecutor = region.user("prosecutor.co")
    jit = Jit.objects.create(
        name="Operación Cóndor",
        opening_institution=institution("CO-PROSECUTOR"),
        lead_country_id="CO",
        legal_basis="bilateral",
        starts_on=TODAY,
        ends_on=TODAY + 90 * DAY,
        state="active",
        opened_at=NOW,
    )
    Member.objects.create(
        jit=jit,
        institution=institution("CO-PROSECUTOR"),
        state=MemberState.ACCEPTED,
        invited_at=NOW,
    )
    for days, status in ((-1, TaskStatus.OPEN), (5, TaskStatus.OPEN), (3, TaskStatus.DONE)):
        Task.objects.create(
            jit=jit,
            institution=institution("CO-PROSECUTOR"),
            title="Pedir registros migratorios",
            owner=prosecutor,
            due_on=TODAY + days * DAY,
            status=status,
            created_at=NOW,
        )
    elsewhere = Jit.objects.create(
        name="Operación Ñandú",
        opening_institution=institution("PY-PROSECUTOR"),
        lead_country_id="PY",
        legal_basis="bilateral",
        starts_on=TODAY,
        ends_on=TODAY + 90 * DAY,
        state="active",
        opened_at=NOW,
    )
    Task.objects.create(
        jit=elsewhere,
        institution=institution("PY-PROSECUTOR"),
        title="Otra tarea",
        owner=prosecutor,
        due_on=TODAY,
        created_at=NOW,
    )

    # Survey answers: the police's to fill, the ministry's submitted for approval.
    survey_round = round_open("CO", "PE")
    for code, user, state in (
        ("CO-POLICE", "caseworker.co", "draft"),
        ("CO-MINISTRY", "focal.co", "submitted"),
        ("CO-PROSECUTOR", "prosecutor.co", "submitted"),
        ("PE-MINISTRY", "focal.pe", "submitted"),
    ):
        Submission.objects.create(
            round=survey_round,
            institution=institution(code),
            responsible=region.user(user),
            state=state,
        )

    # Imports by caseworker.co: one saved and one rejected this week, one saved long ago.
    caseworker = region.user("caseworker.co")
    for status, ended in (
        (JobStatus.DONE, NOW),
        (JobStatus.REJECTED, NOW),
        (JobStatus.DONE, NOW - 30 * DAY),
    ):
        ImportJob.objects.create(
            owner=institution("CO-POLICE"),
            requested_by=caseworker,
            file_name="casos.csv",
            status=status,
            finished_at=ended,
        )

    # A helpline report for Colombia's triage.
    logged("CO")

    # Match notices: one between Colombia's police and Peru's, and one on a record of
    # Colombia's consulate abroad (sealed: no focal point sees it).
    from quipu.intake.records import CaseRecord, PersonRecord
    from quipu.intake.writer import records_write

    records_write(
        owner=consulate_of("CO"),
        records=[
            CaseRecord(
                row=1,
                source_key="test:sealed",
                case={"reference": "CO-SEALED-1", "kind": "TIP", "status": "Active"},
                people=[
                    PersonRecord(
                        person={"first_name": "Ana", "gender": "Feminine", "citizenship_id": "CO"},
                        victim={"age_group": "18--20"},
                    )
                ],
            )
        ],
    )
    encodings_rebuild()
    run = LinkRun.objects.create(kind="full", status="done")

    def notice(a: Victim, b: Victim) -> MatchNotice:
        ids = [PersonEncoding.objects.get(person_id=v.person_id).pk for v in (a, b)]
        made = MatchNotice.objects.create(
            encoding_low=min(ids),
            encoding_high=max(ids),
            match_probability=0.99,
            first_run=run,
            last_run=run,
        )
        for victim, encoding in zip((a, b), ids, strict=True):
            made.sides.create(encoding_id=encoding, institution=victim.case.owner)
        return made

    notice(victim_of("CO"), victim_of("PE"))
    notice(Victim.objects.get(case__reference="CO-SEALED-1"), victim_of("PE"))
    return region


def independent_counts(user) -> dict[str, int]:
    """What waits on each demo user of Colombia, counted straight from the tables."""
    counts = {
        "focal.co": {
            "requests": InformationRequest.objects.filter(
                receiving_country="CO", state="sent"
            ).count(),
            "request-clarifications": InformationRequest.objects.filter(
                requesting_country="CO", state="clarification"
            ).count(),
            "referrals": Referral.objects.filter(home_country="CO", state="sent").count(),
            "survey-approvals": Submission.objects.filter(
                institution__country="CO", state="submitted"
            ).count(),
            # Sides waiting for a decision, less notices with a side at a consulate abroad.
            "notices": MatchNoticeSide.objects.filter(
                institution__country="CO", notice__status="pending", decision=""
            )
            .exclude(notice__sides__institution__located_in__isnull=False)
            .count(),
            "referral-steps": ReferralStep.objects.filter(
                referral__home_country="CO",
                referral__state__in=("sent", "accepted", "in_progress"),
                status__in=("pending", "in_progress"),
                due_on__lte=TODAY + 7 * DAY,
            ).count(),
            "reports": HelplineReport.objects.filter(country="CO", state="new").count(),
        },
        "prosecutor.co": {
            "request-clarifications": InformationRequest.objects.filter(
                requesting_country="CO", state="clarification"
            ).count(),
            "jits": Task.objects.filter(
                owner__username="prosecutor.co",
                status="open",
                jit__members__institution__code="CO-PROSECUTOR",
                jit__members__state="accepted",
            ).count(),
        },
        "caseworker.co": {
            "surveys": Submission.objects.filter(
                institution__code="CO-POLICE", state__in=("not_started", "draft", "returned")
            ).count(),
            "imports": ImportJob.objects.filter(
                requested_by__username="caseworker.co",
                status="done",
                finished_at__gte=NOW - 7 * DAY,
            ).count(),
            "imports-failed": ImportJob.objects.filter(
                requested_by__username="caseworker.co",
                status__in=("rejected", "failed"),
                finished_at__gte=NOW - 7 * DAY,
            ).count(),
        },
        "consul.co": {
            "referral-steps": ReferralStep.objects.filter(
                referral__referring_institution__code=consulate_of("CO").code,
                status__in=("pending", "in_progress"),
                due_on__lte=TODAY + 7 * DAY,
            ).count(),
        },
        "analyst.co": {},
    }
    return counts[user]


@pytest.mark.parametrize(
    "username", ["focal.co", "prosecutor.co", "caseworker.co", "consul.co", "analyst.co"]
)
def test_each_role_sees_what_waits_on_it_counted_as_the_database_counts_it(work, login, username):
    todo = todo_of(login(username).get(reverse("web:home")))
    expected = independent_counts(username)
    assert {kind: item["count"] for kind, item in todo.items()} == expected
    assert all(count > 0 for count in expected.values())  # the fixture gives each one work


def test_the_fixture_counts_are_the_ones_intended(work):
    """Guards the independent counts: a bad filter there would agree with a bad provider."""
    assert independent_counts("focal.co") == {
        "requests": 2,
        "request-clarifications": 1,
        "referrals": 1,
        "survey-approvals": 2,
        "notices": 1,
        "referral-steps": 1,
        "reports": 1,
    }
    assert independent_counts("prosecutor.co") == {"request-clarifications": 1, "jits": 2}
    assert independent_counts("consul.co") == {"referral-steps": 1}


@pytest.mark.parametrize("username", ["focal.co", "prosecutor.co", "caseworker.co", "consul.co"])
def test_each_link_leads_to_a_page_that_lists_those_items(work, login, username):
    client = login(username)
    todo = todo_of(client.get(reverse("web:home")))
    assert todo
    for kind, item in todo.items():
        page = client.get(item["href"])
        assert page.status_code == 200, kind
        html = page.content.decode()
        for marker in listed_markers(kind, username):
            assert marker in html, (kind, marker)


def listed_markers(kind: str, username: str) -> list[str]:
    """Something each target page shows of the very items counted (references, titles)."""
    if kind == "requests":
        rows = InformationRequest.objects.filter(receiving_country="CO", state="sent")
        return [row.reference for row in rows]
    if kind == "request-clarifications":
        rows = InformationRequest.objects.filter(requesting_country="CO", state="clarification")
        return [row.reference for row in rows]
    if kind == "referrals":
        return [row.reference for row in Referral.objects.filter(home_country="CO", state="sent")]
    if kind == "referral-steps":  # the consulate's referral, for both of its sides
        own = Referral.objects.get(referring_institution__code=consulate_of("CO").code)
        return [own.reference]
    if kind == "jits":
        return ["Operación Cóndor", "Pedir registros migratorios"]
    if kind == "surveys":
        return ["Línea de base 2025"]
    if kind == "survey-approvals":
        return [institution("CO-MINISTRY").name]
    if kind in ("imports", "imports-failed"):
        return ["casos.csv"]
    if kind == "reports":
        return [HelplineReport.objects.get(country="CO").reference]
    if kind == "notices":
        return ["CO-TEST-1"]
    raise AssertionError(f"no marker for {kind}")


def test_notices_link_lands_on_the_match_notice_queue(work, login):
    todo = todo_of(login("focal.co").get(reverse("web:home")))
    assert todo["notices"]["href"].split("?")[0] == reverse("linkage:notices")


def test_rule1_a_consul_abroad_does_not_see_or_count_another_consulates_sealed_work(work, login):
    """Argentina's consulate in the same host country has a late step too: not consul.co's."""
    todo = todo_of(login("consul.co").get(reverse("web:home")))
    assert todo["referral-steps"]["count"] == 1
    other = Referral.objects.get(referring_institution__code=consulate_of("AR").code)
    own = Referral.objects.get(referring_institution__code=consulate_of("CO").code)
    assert todo["referral-steps"]["href"] == reverse("referrals:detail", args=[own.pk])
    assert other.reference not in login("consul.co").get(reverse("web:home")).content.decode()


def test_rule1_a_notice_on_a_consulate_abroad_record_is_not_counted_for_the_focal_point(
    work, login
):
    sealed = MatchNoticeSide.objects.get(institution=consulate_of("CO"))
    all_pending = MatchNoticeSide.objects.filter(
        institution__country="CO", notice__status="pending"
    ).count()
    todo = todo_of(login("focal.co").get(reverse("web:home")))
    assert sealed.notice.status == "pending"
    assert todo["notices"]["count"] == all_pending - 1


def test_an_empty_to_do_says_so_and_offers_the_roles_entry_points(region, login):
    html = login("caseworker.ar").get(reverse("web:home")).content.decode()
    assert '<ul class="todo">' not in html
    assert 'class="todo-empty"' in html
    for url_name in ("cases:new", "cases:list", "intake:import_start"):
        assert f'href="{reverse(url_name)}"' in html
    consul = login("consul.ar").get(reverse("web:home")).content.decode()
    assert f'href="{reverse("referrals:register")}"' in consul
    assert f'href="{reverse("cases:new")}"' not in consul  # only what the role may use


def test_the_focal_points_home_leads_with_work_and_keeps_the_audit_extract_below(work, login):
    html = login("focal.co").get(reverse("web:home")).content.decode()
    assert html.index('<ul class="todo">') < html.index("recent-audit")


# Queries of the home with every provider at work: session, user, principal, the providers'
# one aggregate each, the role's figures, the shell. Measured: focal.co 22, prosecutor.co and
# caseworker.co 12, consul.co 10, analyst.co 9, secretariat 12 (SQLite and PostgreSQL alike).
HOME_QUERY_BOUND = 26


@pytest.mark.parametrize("username", ["focal.co", "prosecutor.co", "caseworker.co", "secretariat"])
def test_the_home_is_cheap_a_bounded_number_of_queries_whatever_the_amount_of_work(
    work, login, username
):
    client = login(username)
    client.get(reverse("web:home"))  # warm: one-time lookups (content types, the registry)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("web:home"))
    for number in range(5):  # more work of every kind must not mean more queries
        request_to("CO", by="BR-PROSECUTOR", due=number)
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("web:home"))
    assert len(first.captured_queries) <= HOME_QUERY_BOUND
    assert len(again.captured_queries) == len(first.captured_queries)


def test_secretariat_sees_approved_answers_to_accept(work, login):
    Submission.objects.filter(institution__code="PE-MINISTRY").update(state="approved")
    todo = todo_of(login("secretariat").get(reverse("web:home")))
    assert todo["survey-approvals"]["count"] == Submission.objects.filter(state="approved").count()
    page = login("secretariat").get(todo["survey-approvals"]["href"])
    assert page.status_code == 200
    assert institution("PE-MINISTRY").name in page.content.decode()


def test_the_registry_finds_each_apps_providers_without_the_apps_importing_web():
    import pathlib

    from quipu.web.todo import _PROVIDERS, _discover

    _discover()
    modules = {provider.__module__ for provider in _PROVIDERS}
    assert {
        "quipu.cooperation.requests.todo",
        "quipu.cooperation.referrals.todo",
        "quipu.cooperation.jits.todo",
        "quipu.cooperation.helpline.todo",
        "quipu.linkage.todo",
        "quipu.indicators.todo",
        "quipu.intake.todo",
    } <= modules
    root = pathlib.Path(__file__).resolve().parents[2] / "quipu"
    for module in modules:
        source = (root.parent / (module.replace(".", "/") + ".py")).read_text()
        assert "quipu.web" not in source, module

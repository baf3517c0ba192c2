"""Every triage transition, allowed and forbidden, for every role and from every state."""

import pytest

from quipu.audit.models import Action, AuditEntry
from quipu.cooperation.helpline import triage, workflows
from quipu.cooperation.helpline.models import HelplineReport, State
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.tenancy.models import Country, Institution
from tests.cooperation.helpline.conftest import logged, operator

pytestmark = pytest.mark.django_db

ACTIONS = list(workflows.ACTIONS)
# Everyone but the focal point of the country holding the report.
OUTSIDERS = [
    "focal.pe",
    "caseworker.co",
    "prosecutor.co",
    "consul.co",
    "analyst.co",
    "secretariat",
    "helpline.co",
]


def apply(action: str, actor, report: HelplineReport):
    country = report.country_id
    if action == workflows.LEAD:
        police = Institution.objects.get(code=f"{country}-POLICE")
        return triage.report_lead_assign(actor=actor, report=report, institution=police)
    if action == workflows.CASE:
        prosecutor = Institution.objects.get(code=f"{country}-PROSECUTOR")
        return triage.report_case_open(
            actor=actor, report=report, institution=prosecutor, kind="TIP"
        )
    if action == workflows.ROUTE:
        other = Country.objects.get(code="EC" if country != "EC" else "PE")
        return triage.report_route(actor=actor, report=report, to_country=other)
    return triage.report_close(actor=actor, report=report, reason="Broma telefónica.")


def _user(username: str, region):
    return operator("CO") if username.startswith("helpline.") else region.user(username)


@pytest.mark.parametrize("action", ACTIONS)
def test_the_focal_point_of_the_reports_country_may_take_every_action_on_a_new_report(
    region, action
):
    report = logged("CO")
    apply(action, region.user("focal.co"), report)
    report.refresh_from_db()
    expected = State.ROUTED if action == workflows.ROUTE else workflows.TRANSITIONS["new"][action]
    assert report.state == expected
    assert report.history.last().action == action


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("username", OUTSIDERS)
def test_no_one_else_may_triage_and_the_refusal_is_audited(region, action, username):
    report = logged("CO")
    with pytest.raises(NotAllowed):
        apply(action, _user(username, region), report)
    report.refresh_from_db()
    assert report.state == State.NEW and report.history.count() == 1
    assert AuditEntry.objects.filter(action=Action.DENIED, actor_username=username).exists()


def _in_state(region, state: str) -> HelplineReport:
    report = logged("CO")
    focal = region.user("focal.co")
    if state == State.LEAD:
        apply(workflows.LEAD, focal, report)
    elif state == State.CASE:
        apply(workflows.CASE, focal, report)
    elif state == State.CLOSED:
        apply(workflows.CLOSE, focal, report)
    elif state == State.ROUTED:
        apply(workflows.ROUTE, focal, report)
    report.refresh_from_db()
    assert report.state == state
    return report


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", [State.LEAD, State.CASE, State.CLOSED, State.ROUTED])
def test_settled_reports_allow_only_the_declared_transitions(region, state, action):
    report = _in_state(region, state)
    focal = region.user("focal.co")
    allowed = action in workflows.TRANSITIONS.get(state, {})
    if state == State.ROUTED:
        # The stub stays with the sender, read-only: the focal point no longer triages anything.
        with pytest.raises(InvalidTransition):
            apply(action, focal, report)
        return
    if allowed:
        apply(action, focal, report)
        report.refresh_from_db()
        assert report.state == workflows.TRANSITIONS[state][action]
    else:
        with pytest.raises(InvalidTransition):
            apply(action, focal, report)


def test_actions_open_lists_what_the_user_may_do_now(region):
    report = logged("CO")
    assert workflows.actions_open(region.user("focal.co"), report) == ACTIONS
    assert workflows.actions_open(region.user("focal.pe"), report) == []
    assert workflows.actions_open(operator("CO"), report) == []
    apply(workflows.LEAD, region.user("focal.co"), report)
    report.refresh_from_db()
    assert workflows.actions_open(region.user("focal.co"), report) == ["case", "close"]


def test_a_lead_goes_only_to_an_institution_of_the_reports_country(region):
    report = logged("CO")
    foreign = Institution.objects.get(code="PE-POLICE")
    with pytest.raises(InvalidInput):
        triage.report_lead_assign(actor=region.user("focal.co"), report=report, institution=foreign)


def test_closing_needs_a_reason(region):
    report = logged("CO")
    with pytest.raises(InvalidInput):
        triage.report_close(actor=region.user("focal.co"), report=report, reason="  ")


def test_a_report_cannot_be_routed_to_its_own_country(region):
    report = logged("CO")
    with pytest.raises(InvalidInput):
        triage.report_route(
            actor=region.user("focal.co"), report=report, to_country=Country.objects.get(code="CO")
        )

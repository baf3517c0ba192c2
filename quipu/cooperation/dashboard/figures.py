"""Dashboard sections for the workflows that do not register their own (the helpline and
referrals apps register theirs in their `figures.py`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.cooperation.dashboard.sections import (
    REGION,
    Figures,
    Metric,
    Section,
    days_between,
    section_register,
    tally,
)
from quipu.cooperation.jits.models import Jit, Member, MemberState, State, Task, TaskStatus
from quipu.cooperation.requests.models import (
    OPEN_STATES,
    InformationRequest,
    RequestEvent,
)
from quipu.cooperation.requests.models import State as RequestState

REQUEST_METRICS = (
    Metric("open_in", _("Open requests received")),
    Metric("overdue_in", _("Received and overdue")),
    Metric("age_in", _("Age of open requests received (median days)"), unit="days"),
    Metric("open_out", _("Open requests sent")),
    Metric("overdue_out", _("Sent and overdue")),
    Metric("age_out", _("Age of open requests sent (median days)"), unit="days"),
    Metric("answered", _("Requests answered")),
    Metric("response_days", _("Time to answer (median days)"), unit="days"),
)
DECIDED = (RequestState.APPROVED, RequestState.PARTIAL, RequestState.REFUSED)


def request_figures(countries: list[str]) -> Figures:
    """Requests by the country that received them (in) and sent them (out). An answer is the
    first approval, partial approval or refusal; its time counts for the receiving country."""
    now, today = timezone.now(), timezone.localdate()
    first_answer: dict[int, object] = {}
    answers = RequestEvent.objects.filter(to_state__in=DECIDED).order_by("-at")
    for request_id, at in answers.values_list("information_request_id", "at"):
        first_answer[request_id] = at  # newest first: the earliest stays
    items = []
    rows = InformationRequest.objects.values_list(
        "pk", "requesting_country_id", "receiving_country_id", "state", "sent_at", "due_on"
    )
    for pk, requester, receiver, state, sent_at, due_on in rows:
        if state in OPEN_STATES:
            age, overdue = days_between(sent_at, now), int(due_on < today)
            items.append((receiver, {"open_in": 1, "overdue_in": overdue, "age_in": age}))
            items.append((requester, {"open_out": 1, "overdue_out": overdue, "age_out": age}))
        if pk in first_answer:
            answer = {"answered": 1, "response_days": days_between(sent_at, first_answer[pk])}
            items.append((receiver, answer))
    # Each open request shows twice (in and out): the region takes the "in" side only.
    figures = tally(countries, items, days={"age_in", "age_out", "response_days"})
    for metric in ("open_out", "overdue_out", "age_out"):
        figures[REGION].pop(metric, None)
    return figures


section_register(
    Section(
        code="requests",
        title=_("Information requests"),
        metrics=REQUEST_METRICS,
        compute=request_figures,
        order=10,
    )
)

JIT_METRICS = (
    Metric("proposed", _("Proposed teams")),
    Metric("active", _("Active teams")),
    Metric("closed", _("Closed teams")),
    Metric("led", _("Teams the country leads")),
    Metric("tasks_open", _("Open tasks")),
    Metric("tasks_overdue", _("Overdue tasks")),
)


def jit_figures(countries: list[str]) -> Figures:
    """Teams a country takes part in (an accepted member institution of it), by state; a team
    counts once per country however many of its institutions are members, and once in the
    region."""
    taking_part = (
        Member.objects.filter(state=MemberState.ACCEPTED, institution__country_id__in=countries)
        .values_list("jit_id", "institution__country_id")
        .distinct()
    )
    jits = {
        pk: (state, lead)
        for pk, state, lead in Jit.objects.filter(
            pk__in={jit_id for jit_id, _ in taking_part}
        ).values_list("pk", "state", "lead_country_id")
    }
    pairs = sorted(set(taking_part))
    items = [
        (country, {jits[jit_id][0]: 1, "led": int(jits[jit_id][1] == country)})
        for jit_id, country in pairs
    ]
    today = timezone.localdate()
    tasks = Task.objects.filter(
        status=TaskStatus.OPEN, jit__state=State.ACTIVE, owner__membership__isnull=False
    ).values_list("owner__membership__institution__country_id", "due_on")
    for country, due_on in tasks:
        items.append((country, {"tasks_open": 1, "tasks_overdue": int(due_on < today)}))
    figures = tally(countries, items, days=set())
    # The region counts each team once, not once per taking-part country.
    region = dict.fromkeys(State.values, 0)
    for state, _lead in jits.values():
        region[state] += 1
    figures[REGION].update(region, led=len(jits))
    return figures


section_register(
    Section(
        code="jits",
        title=_("Joint investigation teams"),
        metrics=JIT_METRICS,
        compute=jit_figures,
        order=20,
    )
)

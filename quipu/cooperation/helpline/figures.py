"""The helpline's section of the cooperation dashboard: counts and the time to triage, per
country that holds the reports (codes and numbers only, no personal data)."""

from django.utils.translation import gettext_lazy as _

from quipu.cooperation.dashboard.sections import Figures, Metric, Section, days_between, tally
from quipu.cooperation.helpline.models import HelplineReport, ReportTransition, State, Urgency

METRICS = (
    Metric("reports", _("Helpline reports received")),
    Metric("immediate", _("Reports of immediate danger")),
    Metric("leads", _("Assigned as leads")),
    Metric("cases", _("Turned into cases")),
    Metric("routed_out", _("Routed to another country")),
    Metric("closed", _("Closed as not actionable")),
    Metric("days_to_triage", _("Days from report to triage (median)"), unit="days"),
)
COUNTED_STATES = {State.LEAD: "leads", State.CASE: "cases", State.CLOSED: "closed"}


def helpline_figures(countries: list[str]) -> Figures:
    reports = HelplineReport.objects.filter(country_id__in=countries)
    first_triage = {}
    # Logging is not triage, nor is a report's arrival from another country (a route step
    # into state new): the receiver's first triage is its own.
    steps = (
        ReportTransition.objects.filter(report__in=reports)
        .exclude(action="log")
        .exclude(to_state=State.NEW)
    )
    for report_id, at in steps.order_by("-at").values_list("report_id", "at"):
        first_triage[report_id] = at  # ordered newest first: the earliest stays
    items = []
    rows = reports.values_list("pk", "country_id", "state", "urgency", "is_stub", "created_at")
    for pk, country, state, urgency, is_stub, created_at in rows:
        if is_stub:
            items.append((country, {"routed_out": 1}))
            continue
        values = {"reports": 1, "immediate": int(urgency == Urgency.IMMEDIATE)}
        if state in COUNTED_STATES:
            values[COUNTED_STATES[state]] = 1
        if pk in first_triage:
            values["days_to_triage"] = days_between(created_at, first_triage[pk])
        items.append((country, values))
    return tally(countries, items, days={"days_to_triage"})


HELPLINE_SECTION = Section(
    code="helpline",
    title=_("Helpline reports"),
    metrics=METRICS,
    compute=helpline_figures,
    order=50,
)

"""The referrals' section of the cooperation dashboard: counts and ages per country, as the
country where victims were found (sent) and as their home country (received); codes and
numbers only, no personal data."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.cooperation.dashboard.sections import Figures, Metric, Section, days_between, tally
from quipu.cooperation.referrals.models import OPEN_STATES, Outcome, Referral, ReferralEvent, State

METRICS = (
    Metric("sent", _("Consular referrals sent")),
    Metric("received", _("Consular referrals received")),
    Metric("open", _("Received and still open")),
    Metric("declined", _("Declined")),
    Metric("returned", _("Closed: returned home")),
    Metric("withdrawn", _("Withdrawn by the referring country")),
    Metric("days_to_answer", _("Days from referral to answer (median)"), unit="days"),
    Metric("open_age", _("Age of the open referrals in days (median)"), unit="days"),
)
ANSWERS = ("accept", "decline")


def referral_figures(countries: list[str]) -> Figures:
    now = timezone.now()
    referrals = Referral.objects.filter(home_country_id__in=countries) | Referral.objects.filter(
        referring_country_id__in=countries
    )
    answered = dict(
        ReferralEvent.objects.filter(referral__in=referrals, action__in=ANSWERS).values_list(
            "referral_id", "at"
        )
    )
    items = []
    rows = referrals.values_list(
        "pk", "home_country_id", "referring_country_id", "state", "outcome", "sent_at"
    )
    for pk, home, found, state, outcome, sent_at in rows:
        items.append((found, {"sent": 1}))
        values = {
            "received": 1,
            "open": int(state in OPEN_STATES),
            "declined": int(state == State.DECLINED),
            "returned": int(state == State.CLOSED and outcome == Outcome.RETURNED),
            "withdrawn": int(state == State.WITHDRAWN),
        }
        if pk in answered:
            values["days_to_answer"] = max(days_between(sent_at, answered[pk]), 0)
        if state in OPEN_STATES:
            values["open_age"] = days_between(sent_at, now)
        items.append((home, values))
    return tally(countries, items, days={"days_to_answer", "open_age"})


REFERRALS_SECTION = Section(
    code="referrals",
    title=_("Consular referrals"),
    metrics=METRICS,
    compute=referral_figures,
    order=40,
)

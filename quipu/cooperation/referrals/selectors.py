"""Reads of referrals, scoped for the user asking.

A referral has two parties: the referring institution (OPEN_REFERRALS) and the focal point of
the victim's home country (ANSWER_REFERRALS). `scoped()` knows one owner per model, so the
union of the two sides is built here from the permission layer's principal.
"""

from __future__ import annotations

import statistics
from collections import Counter

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from quipu.cases.models import Victim
from quipu.cooperation.referrals.models import OPEN_STATES, Referral, State
from quipu.cooperation.referrals.workflows import HOME, REFERRING
from quipu.tenancy.models import Country
from quipu.tenancy.permissions import denial_record, principal_for, scoped, scoped_addressed
from quipu.tenancy.roles import Capability


def _referrals() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "referring_institution", "referring_country", "home_country", "victim__case"
    )


def referrals_outgoing(*, user) -> QuerySet[Referral]:
    """Referrals the user's institution opened (or country's, for a country-wide grant)."""
    return scoped(user, _referrals(), Capability.OPEN_REFERRALS)


def referrals_incoming(*, user) -> QuerySet[Referral]:
    """Referrals of the user's country's nationals, for the focal point who answers them."""
    return scoped_addressed(
        user, _referrals(), Capability.ANSWER_REFERRALS, country_path="home_country_id"
    )


def referrals_visible_to(*, user) -> QuerySet[Referral]:
    """Both sides' referrals: what the user opened and what was sent to their country."""
    outgoing = referrals_outgoing(user=user).values("pk")
    incoming = referrals_incoming(user=user).values("pk")
    return _referrals().filter(Q(pk__in=outgoing) | Q(pk__in=incoming))


def referral_sides(*, user, referral: Referral) -> set[str]:
    """Which sides of `referral` the user acts for: HOME, REFERRING, both or neither."""
    sides = set()
    if referrals_outgoing(user=user).filter(pk=referral.pk).exists():
        sides.add(REFERRING)
    if referrals_incoming(user=user).filter(pk=referral.pk).exists():
        sides.add(HOME)
    return sides


def referral_visible(*, user, pk: int, request=None) -> Referral:
    """One referral the user is a party to, else 404 (audited as denied if it exists)."""
    referral = referrals_visible_to(user=user).filter(pk=pk).first()
    if referral is None:
        hidden = Referral.objects.filter(pk=pk).select_related("referring_institution").first()
        if hidden is not None:
            denial_record(user, capability=Capability.ANSWER_REFERRALS, obj=hidden, request=request)
        raise Http404
    return referral


def referrals_filtered(*, user, box: str, state: str = "") -> QuerySet[Referral]:
    """The outgoing ("out") or incoming ("in") list, optionally in one state."""
    queryset = referrals_incoming(user=user) if box == "in" else referrals_outgoing(user=user)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by("-sent_at", "-id")


def victims_referable_by(*, user) -> QuerySet[Victim]:
    """Victims the user may refer: in their institution's cases, citizens of another member
    state than the one where the institution sits."""
    principal = principal_for(user)
    victims = scoped(
        user,
        Victim.objects.select_related("case", "person__citizenship"),
        Capability.OPEN_REFERRALS,
    )
    found_in = found_in_country(user=user)
    return (
        victims.filter(person__citizenship__is_member=True)
        .exclude(person__citizenship_id=found_in)
        .exclude(person__citizenship__isnull=True)
        .order_by("-case_id", "id")
        if principal.institution_id
        else Victim.objects.none()
    )


def found_in_country(*, user) -> str | None:
    """Where the user's institution sits: a consulate's host country, else its own."""
    from quipu.tenancy.models import Institution

    principal = principal_for(user)
    institution = Institution.objects.filter(pk=principal.institution_id).first()
    if institution is None:
        return None
    return institution.located_in_id or institution.country_id


def referral_counts() -> dict:
    """Open referrals counted by home country, referring country and state, with their ages in
    days: aggregates only, no record and nothing personal (for the secretariat)."""
    today = timezone.now()
    rows = list(
        Referral.objects.filter(state__in=OPEN_STATES).values_list(
            "home_country_id", "referring_country_id", "state", "sent_at"
        )
    )
    ages = [(today - sent).days for *_, sent in rows]
    names = {c.code: c.name for c in Country.objects.filter(is_member=True)}
    names.update({str(value): str(label) for value, label in State.choices})

    def grouped(index: int) -> list[dict]:
        counts = Counter(row[index] for row in rows)
        by_key: dict[str, list[int]] = {}
        for row, age in zip(rows, ages, strict=True):
            by_key.setdefault(row[index], []).append(age)
        return [
            {
                "key": key,
                "label": names.get(key, key),
                "count": counts[key],
                "median_age_days": statistics.median(by_key[key]),
                "oldest_age_days": max(by_key[key]),
            }
            for key in sorted(counts)
        ]

    return {
        "open_total": len(rows),
        "median_age_days": statistics.median(ages) if ages else None,
        "oldest_age_days": max(ages) if ages else None,
        "by_home_country": grouped(0),
        "by_referring_country": grouped(1),
        "by_state": grouped(2),
    }

"""Reads of match notices, already scoped: a focal point sees their own country's sides,
never a held notice nor one on a record under the consular seal (seal.py)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from quipu.linkage.evidence import BAND_ORDER
from quipu.linkage.models import (
    LinkRun,
    MatchNotice,
    MatchNoticeSide,
    NoticeQuota,
    PersonEncoding,
    Role,
)
from quipu.linkage.seal import sealed_for
from quipu.tenancy.models import Country
from quipu.tenancy.permissions import denial_record, principal_for, scoped, scoped_addressed
from quipu.tenancy.roles import Capability

Status, Decision = MatchNotice.Status, MatchNoticeSide.Decision
# The review tabs: what each shows of the user's sides.
TABS = {
    "todo": {"notice__status": Status.PENDING, "decision": Decision.NONE},
    "waiting": {"notice__status": Status.PENDING, "decision__in": list(Decision.values[1:])},
    "linked": {"notice__status": Status.LINKED},
    "rejected": {"notice__status": Status.REJECTED},
    "withdrawn": {"notice__status": Status.WITHDRAWN},
}


def _sides() -> QuerySet[MatchNoticeSide]:
    return MatchNoticeSide.objects.select_related("notice", "institution__country")


def reviewable_sides(user) -> QuerySet[MatchNoticeSide]:
    """Every side the user may see and decide: their scope for REVIEW_MATCHES, less held
    notices and notices with a side under the consular seal. The one base of this module."""
    sealed = MatchNoticeSide.objects.filter(sealed_for(user)).values("notice_id")
    return (
        scoped(user, _sides(), Capability.REVIEW_MATCHES)
        .exclude(notice__status=Status.HELD)
        .exclude(notice_id__in=sealed)
    )


def _strongest_first(sides: QuerySet[MatchNoticeSide]) -> QuerySet[MatchNoticeSide]:
    # By band, then newest: ordering by the matcher's score would leak it between rows.
    rank = Case(
        *(When(notice__band=band, then=Value(i)) for i, band in enumerate(BAND_ORDER)),
        default=Value(len(BAND_ORDER)),
        output_field=IntegerField(),
    )
    return sides.order_by(rank, "-pk")


def notice_sides_for(
    *, user, tab: str | None = "todo", role: str = ""
) -> QuerySet[MatchNoticeSide]:
    """The user's sides of notices in one review tab (every tab with None), strongest first;
    `role` (victim or perpetrator) keeps the sides whose own record has that role."""
    sides = reviewable_sides(user).filter(**TABS.get(tab, {}))
    if role in Role.values:
        sides = sides.filter(encoding_id__in=PersonEncoding.objects.filter(role=role).values("pk"))
    return _strongest_first(sides)


def notice_tab_counts(*, user, role: str = "") -> dict[str, int]:
    """How many of the user's sides each tab holds, under the same role filter."""
    sides = notice_sides_for(user=user, tab=None, role=role)
    return {tab: sides.filter(**lookup).count() for tab, lookup in TABS.items()}


def notice_side_visible(*, user, pk: int, request=None) -> MatchNoticeSide:
    """One of the user's sides, else 404 (a side out of reach is audited as denied)."""
    try:
        return reviewable_sides(user).get(pk=pk)
    except MatchNoticeSide.DoesNotExist:
        hidden = MatchNoticeSide.objects.filter(pk=pk).first()
        if hidden is not None:
            denial_record(user, capability=Capability.REVIEW_MATCHES, obj=hidden, request=request)
        raise Http404 from None


def other_sides(sides: list[MatchNoticeSide]) -> dict[int, MatchNoticeSide]:
    """For each of these sides, the other owner's side of the same notice (its institution,
    country and decision; the encoding id stays server-side)."""
    notice_ids = {side.notice_id for side in sides}
    mine = {side.pk for side in sides}
    others = MatchNoticeSide.objects.filter(notice_id__in=notice_ids).exclude(pk__in=mine)
    by_notice = {other.notice_id: other for other in others.select_related("institution__country")}
    return {side.pk: by_notice[side.notice_id] for side in sides if side.notice_id in by_notice}


def group_sides(*, user, side: MatchNoticeSide) -> QuerySet[MatchNoticeSide]:
    """The user's other open notices in the same group: the same person matched elsewhere."""
    if side.notice.cluster_key is None:
        return MatchNoticeSide.objects.none()
    return _strongest_first(
        reviewable_sides(user)
        .filter(notice__cluster_key=side.notice.cluster_key)
        .filter(notice__status__in=[Status.PENDING, Status.LINKED])
        .exclude(pk=side.pk)
    )


def group_members(*, user, side: MatchNoticeSide) -> QuerySet[MatchNoticeSide]:
    """Every side of the user's in the group of `side` (itself included): open, linked and
    rejected ones, strongest first; a notice outside any group is a group of one."""
    sides = reviewable_sides(user).filter(
        notice__status__in=[Status.PENDING, Status.LINKED, Status.REJECTED]
    )
    if side.notice.cluster_key is None:
        return _strongest_first(sides.filter(pk=side.pk))
    return _strongest_first(sides.filter(notice__cluster_key=side.notice.cluster_key))


def group_open(*, user, side: MatchNoticeSide) -> QuerySet[MatchNoticeSide]:
    """The sides of the group the user may still decide: notice waiting, their side not
    decided. What a group decision decides."""
    return group_members(user=user, side=side).filter(**TABS["todo"])


def group_countries(*, user, side: MatchNoticeSide) -> list[str]:
    """The other countries of the group's notices, by name in the user's language."""
    notices = group_members(user=user, side=side).values("notice_id")
    others = MatchNoticeSide.objects.filter(notice_id__in=notices).exclude(
        institution__country_id=side.institution.country_id
    )
    codes = set(others.values_list("institution__country_id", flat=True).distinct())
    return sorted(country.name for country in Country.objects.filter(code__in=codes))


def link_runs_recent(*, limit: int = 10) -> list[LinkRun]:
    return list(LinkRun.objects.defer("model").order_by("-pk")[:limit])


def probe_alerts_for(*, user) -> QuerySet[NoticeQuota]:
    """Probe alerts (quotas that raised one): all of them for the secretariat, those against
    the user's country for its focal points, none for anyone else."""
    alerts = NoticeQuota.objects.filter(alerted_at__isnull=False).select_related(
        "institution__country", "other_country"
    )
    if principal_for(user).can(Capability.MANAGE_REGION):
        return alerts
    return scoped_addressed(
        user, alerts, Capability.REVIEW_MATCHES, country_path="other_country_id"
    )

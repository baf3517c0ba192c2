"""Reads of match notices, already scoped: a focal point sees their own country's sides."""

from __future__ import annotations

from django.db.models import QuerySet

from quipu.linkage.models import LinkRun, MatchNotice, MatchNoticeSide, PersonEncoding, Role
from quipu.tenancy.permissions import get_visible_or_404, scoped
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


def notice_sides_for(
    *, user, tab: str | None = "todo", role: str = ""
) -> QuerySet[MatchNoticeSide]:
    """The user's sides of notices in one review tab (every tab with None), strongest first;
    `role` (victim or perpetrator) keeps the sides whose own record has that role."""
    sides = scoped(user, _sides(), Capability.REVIEW_MATCHES).filter(**TABS.get(tab, {}))
    if role in Role.values:
        sides = sides.filter(encoding_id__in=PersonEncoding.objects.filter(role=role).values("pk"))
    return sides.order_by("-notice__match_probability", "-pk")


def notice_tab_counts(*, user, role: str = "") -> dict[str, int]:
    """How many of the user's sides each tab holds, under the same role filter."""
    sides = notice_sides_for(user=user, tab=None, role=role)
    return {tab: sides.filter(**lookup).count() for tab, lookup in TABS.items()}


def notice_side_visible(*, user, pk: int, request=None) -> MatchNoticeSide:
    """One of the user's sides, else 404 (a side of another country is audited as denied)."""
    return get_visible_or_404(user, _sides(), Capability.REVIEW_MATCHES, request=request, pk=pk)


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
    return (
        scoped(user, _sides(), Capability.REVIEW_MATCHES)
        .filter(notice__cluster_key=side.notice.cluster_key)
        .filter(notice__status__in=[Status.PENDING, Status.LINKED])
        .exclude(pk=side.pk)
        .order_by("-notice__match_probability")
    )


def link_runs_recent(*, limit: int = 10) -> list[LinkRun]:
    return list(LinkRun.objects.defer("model").order_by("-pk")[:limit])

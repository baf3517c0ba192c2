"""Reviewing match notices: each owner's focal point confirms or rejects, with a reason.

A notice becomes a cross-border link when both sides confirm, and is rejected as soon as one
side rejects. Decisions are final and audited; the thresholds are the secretariat's.

Confirming may reveal a little more, and only with both sides' consent: each side, when it
confirms, may agree that once the link stands each sees the other's case reference and the
kind of identifier they share (never its value). One side's consent alone reveals nothing,
and a rejected notice reveals nothing (docs/threat-model-notices.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.linkage.kinds import LINK_CONFIRMED
from quipu.linkage.models import LinkageSettings, MatchNotice, MatchNoticeSide
from quipu.linkage.selectors import group_open, reviewable_sides
from quipu.notifications.services import notify, recipients_with
from quipu.tenancy.permissions import denial_record, require
from quipu.tenancy.roles import Capability

Decision = MatchNoticeSide.Decision
REASON_MAX = 2000


def match_notice_decide(
    *,
    actor,
    side: MatchNoticeSide,
    decision: str,
    reason: str,
    reveal_consent: bool = False,
    request=None,
) -> MatchNotice:
    """Record one side's decision and settle the notice when both sides have spoken.
    `reveal_consent` (with a confirmation only) agrees to the reveal described above."""
    require(actor, Capability.REVIEW_MATCHES, request=request)
    if not reviewable_sides(actor).filter(pk=side.pk).exists():
        denial_record(actor, capability=Capability.REVIEW_MATCHES, obj=side, request=request)
        raise NotAllowed()
    reason = _checked(decision, reason)
    with transaction.atomic():
        notice = MatchNotice.objects.select_for_update().get(pk=side.notice_id)
        side = notice.sides.select_related("institution").get(pk=side.pk)
        if notice.status != MatchNotice.Status.PENDING:
            raise InvalidTransition(_("This notice is no longer waiting for review."))
        if side.decision:
            raise InvalidTransition(_("Your side has already decided on this notice."))
        _side_decide(
            actor=actor,
            notice=notice,
            side=side,
            decision=decision,
            reason=reason,
            reveal_consent=reveal_consent,
            request=request,
        )
        if notice.status == MatchNotice.Status.LINKED:
            _link_announce(notice)
    return notice


def _checked(decision: str, reason: str) -> str:
    """The reason, stripped, once the decision and the reason are valid."""
    if decision not in (Decision.CONFIRMED, Decision.REJECTED):
        raise InvalidInput(_("Choose whether you confirm or reject the match."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for your decision."))
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("The reason is too long: at most %(max)s characters.") % {"max": REASON_MAX}
        )
    return reason


def _side_decide(
    *,
    actor,
    notice: MatchNotice,
    side: MatchNoticeSide,
    decision: str,
    reason: str,
    reveal_consent: bool,
    request,
    group: int | None = None,
) -> None:
    """Write one side's decision, settle its notice and audit it; the caller holds the
    notice's row lock and has checked that both are still open."""
    side.decision, side.reason = decision, reason
    side.reveal_consent = bool(reveal_consent) and decision == Decision.CONFIRMED
    side.decided_by, side.decided_at = actor, timezone.now()
    side.save()
    decisions = {other.decision for other in notice.sides.all()}
    if Decision.REJECTED in decisions:
        notice.status = MatchNotice.Status.REJECTED
    elif decisions == {Decision.CONFIRMED}:
        notice.status = MatchNotice.Status.LINKED
    notice.save(update_fields=["status", "updated_at"])
    detail = {
        "notice": notice.pk,
        "decision": decision,
        "status": notice.status,
        "reveal_consent": side.reveal_consent,
    }
    if group is not None:
        detail["group_decision"] = group  # the side the group decision was made from
    audit_record(actor=actor, action=Action.UPDATE, obj=side, detail=detail, request=request)


@dataclass(frozen=True)
class GroupDecision:
    """What a group decision did: the notices it decided, and how many it left alone."""

    decided: list[int]  # notice ids
    linked: int
    rejected: int
    left_alone: int


def group_fingerprint(side_ids: Iterable[int]) -> str:
    """Which open sides a user was shown, as a short digest a form can carry back."""
    joined = ",".join(str(pk) for pk in sorted(side_ids))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def match_notice_group_decide(
    *,
    actor,
    side: MatchNoticeSide,
    decision: str,
    reason: str,
    fingerprint: str,
    reveal_consent: bool = False,
    request=None,
) -> GroupDecision:
    """Decide, in one transaction, every notice of the group of `side` that the actor may
    still decide. Each is checked, written and audited as a single decision is, plus one
    entry for the group. Notices the permission layer keeps from the actor (held, sealed,
    out of scope) are never touched; notices decided meanwhile are left alone. `fingerprint`
    is group_fingerprint of the open sides the actor was shown: when the group changed since
    (a new notice joined it), nothing is decided."""
    require(actor, Capability.REVIEW_MATCHES, request=request)
    if not reviewable_sides(actor).filter(pk=side.pk).exists():
        denial_record(actor, capability=Capability.REVIEW_MATCHES, obj=side, request=request)
        raise NotAllowed()
    reason = _checked(decision, reason)
    with transaction.atomic():
        candidates = dict(group_open(user=actor, side=side).values_list("pk", "notice_id"))
        if not candidates:
            raise InvalidTransition(_("No notice of this group is waiting for your decision."))
        if group_fingerprint(candidates) != fingerprint:
            raise InvalidTransition(
                _("The group changed since you opened it: check its notices and decide again.")
            )
        # In id order, so two group decisions that overlap never wait on each other's locks.
        notices = (
            MatchNotice.objects.select_for_update()
            .filter(pk__in=candidates.values())
            .order_by("pk")
            .prefetch_related(
                Prefetch("sides", queryset=MatchNoticeSide.objects.select_related("institution"))
            )
        )
        decided, linked, rejected = [], [], 0
        for notice in notices:
            mine = next(each for each in notice.sides.all() if each.pk in candidates)
            if notice.status != MatchNotice.Status.PENDING or mine.decision:
                continue  # decided by someone else since the page was read
            _side_decide(
                actor=actor,
                notice=notice,
                side=mine,
                decision=decision,
                reason=reason,
                reveal_consent=reveal_consent,
                request=request,
                group=side.pk,
            )
            decided.append(notice.pk)
            if notice.status == MatchNotice.Status.LINKED:
                linked.append(notice)
            rejected += notice.status == MatchNotice.Status.REJECTED
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=side,
            object_type="linkage.matchnoticegroup",
            detail={
                "decision": decision,
                "notices": decided,
                "reveal_consent": bool(reveal_consent) and decision == Decision.CONFIRMED,
                "left_alone": len(candidates) - len(decided),
            },
            request=request,
        )
        _links_announce(linked)
    return GroupDecision(decided, len(linked), rejected, len(candidates) - len(decided))


def _links_announce(notices: list[MatchNotice]) -> None:
    """After a group decision: one notification per reviewer, to their side of the group,
    however many links it made (one per notice would flood their inbox)."""
    if len(notices) <= 1:
        for notice in notices:
            _link_announce(notice)
        return
    first_side: dict[str, int] = {}
    for notice in notices:
        for each in notice.sides.all():
            first_side.setdefault(each.institution.country_id, each.pk)
    for country, side_pk in sorted(first_side.items()):
        notify(
            recipients=recipients_with(Capability.REVIEW_MATCHES, country=country),
            kind=LINK_CONFIRMED,
            url=reverse("linkage:group", args=[side_pk]),
        )


def _link_announce(notice: MatchNotice) -> None:
    """Tell both countries' reviewers, each with a link to their own side of the notice."""
    for each in notice.sides.select_related("institution"):
        notify(
            recipients=recipients_with(
                Capability.REVIEW_MATCHES, country=each.institution.country_id
            ),
            kind=LINK_CONFIRMED,
            url=reverse("linkage:notice", args=[each.pk]),
        )


def notice_revealed(side: MatchNoticeSide) -> bool:
    """Whether this side may see the other's case reference and the identifier's kind: the
    link stands and both sides agreed."""
    if side.notice.status != MatchNotice.Status.LINKED:
        return False
    return all(each.reveal_consent for each in side.notice.sides.all())


# The settings the secretariat sets, with their bounds (the model's validators say the same).
SETTING_BOUNDS = {
    "notice_threshold": (0.5, 0.999),
    "notice_daily_limit": (1, 1000),
    "probe_alert_at": (1, 1000),
    "recent_days": (1, 365),
}


def linkage_settings_update(*, actor, request=None, **values) -> LinkageSettings:
    """The secretariat sets the probability from which pairs become notices, and the limits
    against probing; settings left out keep their value."""
    require(actor, Capability.MANAGE_REGION, request=request)
    current = LinkageSettings.current()
    changes = {}
    for name, value in values.items():
        if name not in SETTING_BOUNDS or value is None:
            continue
        low, high = SETTING_BOUNDS[name]
        if not low <= value <= high:
            raise InvalidInput(
                _("%(setting)s must be between %(low)s and %(high)s.")
                % {
                    "setting": LinkageSettings._meta.get_field(name).verbose_name.capitalize(),
                    "low": low,
                    "high": high,
                }
            )
        changes[name] = [getattr(current, name), value]
        setattr(current, name, value)
    current.updated_by = actor
    with transaction.atomic():
        current.save()
        audit_record(
            actor=actor, action=Action.UPDATE, obj=current, detail=changes, request=request
        )
    return current

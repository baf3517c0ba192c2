"""Assistance steps of a referral (documentation, shelter, health...): each with a status and a
due date; the daily job escalates overdue steps to both sides."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cooperation.referrals.kinds import STEP_OVERDUE
from quipu.cooperation.referrals.models import (
    STEP_OPEN_STATUSES,
    Assistance,
    Referral,
    ReferralStep,
    StepStatus,
)
from quipu.cooperation.referrals.selectors import referral_sides
from quipu.cooperation.referrals.services import purpose_of
from quipu.cooperation.referrals.workflows import STEP_STATES
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.notifications.services import notify, recipients_with
from quipu.tenancy.permissions import denial_record
from quipu.tenancy.roles import Capability


def _require_party(actor, referral: Referral, request) -> None:
    if not referral_sides(user=actor, referral=referral):
        denial_record(actor, capability=Capability.ANSWER_REFERRALS, obj=referral, request=request)
        raise NotAllowed()


def _lock_open_referral(referral: Referral) -> Referral:
    """The referral, locked until the transaction ends, if steps may still change in its state:
    a close committed meanwhile makes the step change fail instead of landing after it."""
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.state not in STEP_STATES:
        raise InvalidTransition(_("Steps can be planned only once the referral is accepted."))
    return current


def referral_step_add(
    *, actor, referral: Referral, kind: str, due_on: datetime.date, request=None
) -> ReferralStep:
    """Plan one step of assistance; either side of the referral may."""
    _require_party(actor, referral, request)
    if kind not in Assistance.values:
        raise InvalidInput(_("Choose the kind of step."))
    if due_on is None:
        raise InvalidInput(_("Give the due date."))
    with transaction.atomic():
        _lock_open_referral(referral)
        step = ReferralStep.objects.create(referral=referral, kind=kind, due_on=due_on)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=step,
            purpose=purpose_of(referral),
            detail={"referral": referral.pk, "kind": kind, "due_on": due_on.isoformat()},
            request=request,
        )
    return step


def referral_step_update(
    *, actor, step: ReferralStep, status: str, due_on: datetime.date | None = None, request=None
) -> ReferralStep:
    """Change a step's status (and due date); a new due date lifts the escalation."""
    _require_party(actor, step.referral, request)
    if status not in StepStatus.values:
        raise InvalidInput(_("Choose the status of the step."))
    with transaction.atomic():
        _lock_open_referral(step.referral)
        # Re-read under the lock: the caller's copy may predate an escalation by the daily job,
        # and saving its stale escalated_on would escalate the step a second time.
        step = ReferralStep.objects.select_for_update().select_related("referral").get(pk=step.pk)
        before = {"status": step.status, "due_on": step.due_on.isoformat()}
        step.status = status
        if due_on is not None and due_on != step.due_on:
            step.due_on, step.escalated_on = due_on, None
        step.save(update_fields=["status", "due_on", "escalated_on", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=step,
            purpose=purpose_of(step.referral),
            detail={
                "referral": step.referral_id,
                "before": before,
                "status": status,
                "due_on": step.due_on.isoformat(),
            },
            request=request,
        )
    return step


def referral_steps_escalate(*, today: datetime.date | None = None) -> int:
    """Daily: every open step past its due date, not yet escalated, is notified once to the home
    focal points and the referring institution. Returns how many steps were escalated."""
    today = today or timezone.localdate()
    overdue = ReferralStep.objects.filter(
        status__in=STEP_OPEN_STATUSES,
        due_on__lt=today,
        escalated_on__isnull=True,
        referral__state__in=STEP_STATES,
    ).select_related("referral")
    escalated = 0
    for step in overdue:
        referral = step.referral
        with transaction.atomic():
            # Conditional: of two runs of the job at once, only the first escalates the step.
            claimed = ReferralStep.objects.filter(pk=step.pk, escalated_on__isnull=True).update(
                escalated_on=today
            )
            if not claimed:
                continue
            users = list(
                recipients_with(Capability.ANSWER_REFERRALS, country=referral.home_country_id)
            )
            users += list(
                recipients_with(
                    Capability.OPEN_REFERRALS, institution_id=referral.referring_institution_id
                )
            )
            notify(
                recipients=users,
                kind=STEP_OVERDUE,
                url=reverse("referrals:detail", args=[referral.pk]),
                reference=referral.reference,
            )
            audit_record(
                actor=None,
                action=Action.UPDATE,
                obj=step,
                purpose=purpose_of(referral),
                detail={"referral": referral.pk, "escalated": today.isoformat()},
            )
        escalated += 1
    return escalated

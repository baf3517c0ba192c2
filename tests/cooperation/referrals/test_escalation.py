"""Overdue assistance steps escalate once, through the daily job, to the home focal point and
the referring institution."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from quipu.cooperation.referrals.services import referral_transition
from quipu.cooperation.referrals.steps import (
    referral_step_add,
    referral_step_update,
    referral_steps_escalate,
)
from quipu.notifications.daily import daily_jobs
from quipu.notifications.models import Notification
from quipu.tenancy.models import User
from tests.cooperation.referrals.factories import referral_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(region):
    referral = referral_sent()
    referral_transition(
        actor=User.objects.get(username="focal.ve"), referral=referral, action="accept"
    )
    return referral


def _step(referral, days: int, kind="documentation"):
    return referral_step_add(
        actor=User.objects.get(username="focal.ve"),
        referral=referral,
        kind=kind,
        due_on=date.today() + timedelta(days=days),
    )


def _overdue_recipients():
    return sorted(
        Notification.objects.filter(kind="referrals.step_overdue").values_list(
            "recipient__username", flat=True
        )
    )


def test_an_overdue_step_notifies_the_home_focal_point_and_the_referring_side(accepted):
    _step(accepted, -2)
    _step(accepted, 5, kind="shelter")  # not due yet
    assert referral_steps_escalate() == 1
    assert _overdue_recipients() == ["caseworker.co", "focal.ve"]


def test_an_overdue_step_escalates_once_until_its_due_date_moves(accepted):
    step = _step(accepted, -2)
    referral_steps_escalate()
    assert referral_steps_escalate() == 0
    referral_step_update(
        actor=User.objects.get(username="caseworker.co"),
        step=step,
        status="in_progress",
        due_on=date.today() - timedelta(days=1),
    )
    assert referral_steps_escalate() == 1


def test_done_steps_and_closed_referrals_do_not_escalate(accepted):
    step = _step(accepted, -3)
    referral_step_update(actor=User.objects.get(username="focal.ve"), step=step, status="done")
    assert referral_steps_escalate() == 0


def test_the_daily_command_runs_the_escalation(accepted):
    _step(accepted, -1)
    assert "referrals_overdue_steps" in daily_jobs()
    call_command("daily", verbosity=0)
    assert _overdue_recipients() == ["caseworker.co", "focal.ve"]

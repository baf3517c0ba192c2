"""Defects found in review: step changes racing the daily job or a close, two open referrals of
one victim, and the audit of a step's due date."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from quipu.audit.models import AuditEntry
from quipu.cooperation.referrals.models import Referral
from quipu.cooperation.referrals.services import foreign_victim_refer, referral_transition
from quipu.cooperation.referrals.steps import (
    referral_step_add,
    referral_step_update,
    referral_steps_escalate,
)
from quipu.errors import InvalidTransition
from quipu.notifications.models import Notification
from quipu.tenancy.models import User
from tests.cooperation.referrals.factories import referral_sent

pytestmark = pytest.mark.django_db


def _user(username):
    return User.objects.get(username=username)


@pytest.fixture
def accepted(region):
    referral = referral_sent()
    referral_transition(actor=_user("focal.ve"), referral=referral, action="accept")
    return referral


def _overdue_step(referral):
    return referral_step_add(
        actor=_user("focal.ve"),
        referral=referral,
        kind="documentation",
        due_on=date.today() - timedelta(days=2),
    )


def test_a_status_change_from_a_stale_copy_does_not_escalate_the_step_twice(accepted):
    step = _overdue_step(accepted)  # held in memory before the daily job runs
    assert referral_steps_escalate() == 1
    referral_step_update(actor=_user("caseworker.co"), step=step, status="in_progress")
    assert referral_steps_escalate() == 0
    assert Notification.objects.filter(kind="referrals.step_overdue").count() == 2  # once each


def test_a_step_cannot_change_once_the_referral_is_closed_even_from_an_old_copy(accepted):
    step = _overdue_step(accepted)
    stale_referral = step.referral
    referral_transition(
        actor=_user("focal.ve"), referral=accepted, action="close", outcome="returned"
    )
    with pytest.raises(InvalidTransition):
        referral_step_update(actor=_user("focal.ve"), step=step, status="done")
    with pytest.raises(InvalidTransition):
        referral_step_add(
            actor=_user("focal.ve"), referral=stale_referral, kind="health", due_on=date.today()
        )
    step.refresh_from_db()
    assert step.status == "pending"


def test_rule3_a_step_change_audits_the_old_and_new_status_and_due_date(accepted):
    step = _overdue_step(accepted)
    moved = date.today() + timedelta(days=7)
    referral_step_update(actor=_user("focal.ve"), step=step, status="in_progress", due_on=moved)
    entry = AuditEntry.objects.filter(action="update", object_type="referrals.referralstep").last()
    assert entry.detail["before"] == {
        "status": "pending",
        "due_on": (date.today() - timedelta(days=2)).isoformat(),
    }
    assert (entry.detail["status"], entry.detail["due_on"]) == ("in_progress", moved.isoformat())


def test_the_database_refuses_a_second_open_referral_of_one_victim(region):
    referral = referral_sent()
    duplicate = {
        name: getattr(referral, name)
        for name in (
            "referring_institution",
            "referring_country",
            "home_country",
            "victim",
            "urgency",
            "contact_name",
            "sent_at",
        )
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(**duplicate)
    referral_transition(actor=_user("focal.ve"), referral=referral, action="decline", comment="x")
    assert referral_sent(referral.victim).state == "sent"  # a closed one does not block


def test_rule1_the_home_country_cannot_read_a_consuls_case_without_consent_to_share(region, login):
    referral = foreign_victim_refer(
        actor=_user("consul.ve"),
        person={"first_name": "Dayanita", "second_name": "Rojasz", "citizenship_id": "VE"},
        consent=False,
        share_with_home_country=False,
        referral={
            "assistance": ["health"],
            "urgency": "urgent",
            "contact_name": "Cónsul",
            "contact_phone": "+57 1 5550000",
        },
    )
    for username in ("focal.ve", "prosecutor.ve"):
        page = login(username).get(reverse("cases:detail", args=[referral.victim.case_id]))
        assert b"Dayanita" not in page.content


def test_rule1_outsiders_get_404_on_every_route_of_a_referral_and_each_is_audited(region, login):
    referral = referral_sent()
    referral_transition(actor=_user("focal.ve"), referral=referral, action="accept")
    step = _overdue_step(referral)
    client = login("focal.pe")
    for method, url in (
        ("get", reverse("referrals:detail", args=[referral.pk])),
        ("post", reverse("referrals:act", args=[referral.pk, "close"])),
        ("post", reverse("referrals:step_new", args=[referral.pk])),
        ("post", reverse("referrals:step_change", args=[step.pk])),
        ("get", reverse("api:referral", args=[referral.pk])),
    ):
        before = AuditEntry.objects.filter(actor_username="focal.pe", action="denied").count()
        response = getattr(client, method)(url)
        assert response.status_code == 404, url
        after = AuditEntry.objects.filter(actor_username="focal.pe", action="denied").count()
        assert after == before + 1, url


def test_a_second_answer_from_a_copy_loaded_before_the_first_fails_cleanly(region):
    referral = referral_sent()
    first, second = Referral.objects.get(pk=referral.pk), Referral.objects.get(pk=referral.pk)
    referral_transition(actor=_user("focal.ve"), referral=first, action="accept")
    with pytest.raises(InvalidTransition):
        referral_transition(actor=_user("focal.ve"), referral=second, action="decline", comment="x")
    referral.refresh_from_db()
    assert referral.state == "accepted"
    assert list(referral.events.values_list("action", flat=True)) == ["open", "accept"]

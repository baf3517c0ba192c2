"""Notifications: a registered kind and a link, in the platform and by e-mail (rule 4: no
personal data in a message)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quipu.notifications.kinds import kind_register
from quipu.notifications.models import EmailMode, Notification, NotificationSettings
from quipu.notifications.services import (
    digests_send,
    notification_settings_update,
    notify,
    recipients_with,
)
from quipu.tenancy.roles import Capability
from tests.conftest import background_tasks_run

KIND = kind_register("tests.something", "Something needs your review").code
LINK = "/notifications/"


@pytest.fixture
def focal_co(region):
    return region.user("focal.co")


def test_notify_creates_one_notification_per_distinct_recipient(region, focal_co):
    rows = notify(recipients=[focal_co, focal_co, region.user("focal.pe")], kind=KIND, url=LINK)

    assert len(rows) == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "focal.co",
        "focal.pe",
    }


def test_notify_refuses_an_unregistered_kind_and_a_link_outside_the_site(focal_co):
    with pytest.raises(ValueError, match="unregistered"):
        notify(recipients=[focal_co], kind="tests.unknown", url=LINK)
    with pytest.raises(ValueError, match="not a route"):
        notify(recipients=[focal_co], kind=KIND, url="/nowhere/at/all/")
    assert not Notification.objects.exists()


def test_recipients_with_a_capability_are_the_country_users_whose_roles_grant_it(region):
    reviewers = recipients_with(Capability.REVIEW_MATCHES, country="CO")
    openers = recipients_with(Capability.OPEN_REQUESTS, country="CO")

    assert [user.username for user in reviewers] == ["focal.co"]
    assert sorted(user.username for user in openers) == ["focal.co", "prosecutor.co"]


def test_rule4_the_email_holds_the_title_and_a_link_and_nothing_else(
    focal_co, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[focal_co], kind=KIND, url=LINK)
    assert mail.outbox == []  # queued after the commit, sent by the worker

    background_tasks_run()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [focal_co.email]
    assert message.subject == "[Quipu] Something needs your review"
    assert message.body.endswith("http://127.0.0.1:8000/notifications/")
    assert focal_co.first_name not in message.body
    assert Notification.objects.get().emailed_at is not None


def test_a_user_on_the_digest_gets_one_daily_email_and_none_when_nothing_is_new(
    focal_co, django_capture_on_commit_callbacks
):
    notification_settings_update(actor=focal_co, email_mode=EmailMode.DIGEST, language="pt-br")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[focal_co], kind=KIND, url=LINK)
        notify(recipients=[focal_co], kind=KIND, url=reverse("notifications:settings"))
    background_tasks_run()
    assert mail.outbox == []  # no e-mail per notification

    assert digests_send() == 1
    assert len(mail.outbox) == 1
    assert "2" in mail.outbox[0].subject
    assert mail.outbox[0].body.count("http://127.0.0.1:8000/") == 2

    assert digests_send(now=timezone.now() + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_the_daily_command_runs_the_registered_jobs(focal_co, capsys):
    from django.core.management import call_command

    NotificationSettings.objects.create(user=focal_co, email_mode=EmailMode.DIGEST)
    notify(recipients=[focal_co], kind=KIND, url=LINK)

    call_command("daily", only=["zz_digest"])

    assert "zz_digest: 1" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_following_a_notification_marks_it_read_and_goes_to_its_link(focal_co, login):
    row = notify(recipients=[focal_co], kind=KIND, url=reverse("notifications:settings"))[0]
    client = login("focal.co")

    listing = client.get(reverse("notifications:list"))
    assert "Something needs your review" in listing.content.decode()
    assert listing.context["unread_notifications"] == 1

    response = client.get(reverse("notifications:follow", args=[row.pk]))

    assert response.status_code == 302 and response["Location"] == "/notifications/settings/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_nobody_follows_or_reads_another_users_notification(focal_co, login, region):
    row = notify(recipients=[focal_co], kind=KIND, url=LINK)[0]
    client = login("focal.pe")

    assert client.get(reverse("notifications:follow", args=[row.pk])).status_code == 404
    assert client.post(reverse("api:notification-read", args=[row.pk])).status_code == 404
    assert client.get(reverse("api:notifications")).json()["results"] == []
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read_and_the_api_agree(focal_co, login):
    notify(recipients=[focal_co], kind=KIND, url=LINK)
    notify(recipients=[focal_co], kind=KIND, url=LINK)
    client = login("focal.co")
    assert len(client.get(reverse("api:notifications"), {"unread": "1"}).json()["results"]) == 2

    client.post(reverse("notifications:read_all"))

    assert client.get(reverse("api:notifications"), {"unread": "1"}).json()["results"] == []


def test_the_settings_page_saves_the_email_mode_and_language(focal_co, login):
    client = login("focal.co")

    response = client.post(
        reverse("notifications:settings"), {"email_mode": "none", "language": "pt-br"}
    )

    assert response.status_code == 302
    saved = NotificationSettings.objects.get(user=focal_co)
    assert (saved.email_mode, saved.language) == ("none", "pt-br")
    bad = client.post(reverse("notifications:settings"), {"email_mode": "sms", "language": "xx"})
    assert bad.status_code == 200
    assert bad.context["form"].errors.keys() == {"email_mode", "language"}

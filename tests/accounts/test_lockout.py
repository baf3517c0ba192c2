"""Lockout by username and address with a growing delay; sign-ins with unknown usernames and
tries refused during a lock are counted instead of audited one by one (issue 13, finding 16)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog
from django.conf import settings
from django.db.models import F
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from quipu.accounts.models import RefusedSignInTally
from quipu.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "quipu-demo-2026"
ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


def _sign_in(username: str, password: str, address: str):
    return Client().post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="es",
    )


def _fail_a_round(username: str, address: str = ATTACKER):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(username, "wrong", address).status_code == 200
    return _sign_in(username, "wrong", address)


def _time_passes(minutes: int) -> None:
    """Move every lockout record back, as if `minutes` had gone by."""
    delta = timedelta(minutes=minutes)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)
    AccessAttemptExpiration.objects.update(expires_at=F("expires_at") - delta)
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - delta)


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(region):
    locked = _fail_a_round("prosecutor.pe")
    assert locked.status_code == 429
    assert _sign_in("prosecutor.pe", PASSWORD, ATTACKER).status_code == 429
    assert _sign_in("prosecutor.pe", PASSWORD, OWNER).status_code == 302
    assert AuditEntry.objects.filter(action=Action.LOCKED_OUT).exists()


def test_each_further_round_of_failures_doubles_the_delay(region):
    first = _fail_a_round("caseworker.ar")
    assert "Vuelva a intentarlo en 15 minutos" in first.content.decode()
    _time_passes(16)
    assert _sign_in("caseworker.ar", "wrong", ATTACKER).status_code == 200  # the lock is over

    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        _sign_in("caseworker.ar", "wrong", ATTACKER)
    second = _sign_in("caseworker.ar", "wrong", ATTACKER)
    assert "Vuelva a intentarlo en 30 minutos" in second.content.decode()
    _time_passes(20)  # longer than the first delay, shorter than the second
    assert _sign_in("caseworker.ar", PASSWORD, ATTACKER).status_code == 429
    _time_passes(11)
    assert _sign_in("caseworker.ar", PASSWORD, ATTACKER).status_code == 302


def _unknown_failure_rows():
    return AuditEntry.objects.filter(action=Action.LOGIN_FAILED, detail__known_account=False)


def test_unknown_usernames_are_counted_and_audited_at_doubling_counts_only(region):
    for number in range(20):
        _sign_in(f"nobody{number}", "x", ATTACKER)
    rows = list(_unknown_failure_rows().order_by("seq"))
    assert [row.detail["refusals_in_window"] for row in rows] == [1, 2, 4, 8, 16]
    assert {row.ip_address for row in rows} == {ATTACKER}
    assert RefusedSignInTally.objects.get(address=ATTACKER).count == 20

    _sign_in("nobody", "x", OWNER)  # another address has its own count
    assert _unknown_failure_rows().filter(ip_address=OWNER).get().detail["refusals_in_window"] == 1


def test_a_new_window_starts_a_new_count(region):
    for _ in range(3):
        _sign_in("nobody", "x", ATTACKER)
    window = timedelta(minutes=settings.QUIPU_REFUSED_SIGNIN_WINDOW_MINUTES)
    RefusedSignInTally.objects.update(window_start=F("window_start") - window)
    _sign_in("nobody", "x", ATTACKER)
    counts = [row.detail["refusals_in_window"] for row in _unknown_failure_rows().order_by("seq")]
    assert counts == [1, 2, 1]


def test_locking_an_unknown_username_writes_no_lockout_row(region):
    _fail_a_round("nobody-at-all")
    _sign_in("nobody-at-all", "x", ATTACKER)
    assert not AuditEntry.objects.filter(action=Action.LOCKED_OUT).exists()
    assert _unknown_failure_rows().count() == 3  # failures 1, 2 and 4 of the window


def test_tries_during_a_lock_are_counted_not_audited_each_time(region):
    _fail_a_round("analyst.cl")
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED).count() == 5
    assert AuditEntry.objects.filter(action=Action.LOCKED_OUT).count() == 1  # the lock starts
    for _ in range(10):
        assert _sign_in("analyst.cl", PASSWORD, ATTACKER).status_code == 429
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED).count() == 5
    refusals = AuditEntry.objects.filter(action=Action.LOCKED_OUT, detail__has_key="reason")
    assert [row.detail["refusals_in_window"] for row in refusals.order_by("seq")] == [1, 2, 4, 8]
    assert {row.object_id for row in refusals} == {str(region.user("analyst.cl").pk)}
    assert RefusedSignInTally.objects.get(kind="locked").count == 10


def test_old_tallies_and_failure_logs_are_forgotten_when_a_window_opens(region):
    _fail_a_round("nobody")
    RefusedSignInTally.objects.update(window_start=F("window_start") - timedelta(days=3))
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - timedelta(days=3))
    AccessAttempt.objects.all().delete()
    _sign_in("someone-else", "x", ATTACKER)
    assert AccessFailureLog.objects.count() == 1
    assert RefusedSignInTally.objects.get().count == 1


PROXY = "127.0.0.1"


def _sign_in_through_proxy(username: str, password: str, forwarded_for: str):
    return Client().post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@override_settings(QUIPU_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_lock_is_by_the_address_the_proxy_saw(region):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in_through_proxy("focal.uy", "wrong", ATTACKER)
    # The attacker's forged entries come first; the proxy appends the real address last.
    assert _sign_in_through_proxy("focal.uy", PASSWORD, f"{OWNER}, {ATTACKER}").status_code == 429
    assert _sign_in_through_proxy("focal.uy", PASSWORD, OWNER).status_code == 302


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(region):
    for number in range(settings.AXES_FAILURE_LIMIT):
        _sign_in_through_proxy("focal.uy", "wrong", f"192.0.2.{number}")
    assert _sign_in_through_proxy("focal.uy", PASSWORD, OWNER).status_code == 429


def test_the_daily_job_deletes_expired_tokens_and_old_failure_records(region):
    from quipu.accounts.models import ApiToken
    from quipu.notifications.daily import daily_jobs
    from tests.api.helpers import api_token_for

    _fail_a_round("nobody")
    api_token_for(region.user("focal.co"))
    api_token_for(region.user("focal.pe"))
    ApiToken.objects.filter(user__username="focal.co").update(expiry=F("created") - timedelta(1))
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - timedelta(days=3))
    assert daily_jobs()["accounts_prune"]() == 1 + settings.AXES_FAILURE_LIMIT
    assert list(ApiToken.objects.values_list("user__username", flat=True)) == ["focal.pe"]
    assert not AccessFailureLog.objects.exists()


def test_the_delay_stops_growing_at_its_ceiling(region):
    for _ in range(400):  # a day of hammering from one address: eighty rounds
        AccessFailureLog.objects.create(
            username="focal.bo",
            ip_address=ATTACKER,
            user_agent="",
            http_accept="",
            path_info="/accounts/login/",
            attempt_time=timezone.now(),
        )
    locked = _fail_a_round("focal.bo")
    assert locked.status_code == 429
    assert "Vuelva a intentarlo en 1440 minutos" in locked.content.decode()

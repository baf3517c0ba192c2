"""Token authentication reads the token, its owner and the owner's institution in one query,
and an expired token is still refused wherever the owner's other tokens stand."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from knox.settings import CONSTANTS
from rest_framework.test import APIClient

from quipu.accounts.models import ApiToken
from quipu.audit.models import Action, AuditEntry
from quipu.cases.models import Case
from tests.api.helpers import api_client_for, api_token_for

pytestmark = pytest.mark.django_db


def _selects_from(queries, table: str) -> int:
    return sum(
        1 for q in queries if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]
    )


def test_a_personal_read_reads_the_token_and_the_membership_once(region):
    client = api_client_for(region.user("focal.uy"))
    case = Case.objects.get(reference="UY-TEST-1")
    client.get(reverse("api:case", args=[case.pk]))  # throttle history exists from here
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("api:case", args=[case.pk])).status_code == 200
    assert _selects_from(queries.captured_queries, "accounts_apitoken") == 1
    # The permission layer's principal reads the membership; the audit row reuses the token's.
    assert _selects_from(queries.captured_queries, "tenancy_membership") == 1
    read = AuditEntry.objects.filter(action=Action.READ).order_by("-seq").first()
    assert read.object_id == str(case.pk)
    assert read.actor_institution == region.user("focal.uy").membership.institution.code
    assert read.actor_country == "UY"


def test_an_expired_token_is_refused_and_deleted_while_the_owners_others_work(region):
    user = region.user("focal.uy")
    good, old = api_token_for(user), api_token_for(user)
    expired = ApiToken.objects.get(token_key=old[: CONSTANTS.TOKEN_KEY_LENGTH])
    ApiToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    for key, status in ((old, 401), (good, 200), (old, 401)):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get(reverse("api:cases")).status_code == status
    assert not ApiToken.objects.filter(pk=expired.pk).exists()
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION=f"Token {good[:-4]}zzzz")
    assert bad.get(reverse("api:cases")).status_code == 401

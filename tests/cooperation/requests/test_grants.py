"""Rule 1 (b): the requesting country sees only the granted fields of the granted records,
for the stated purpose, until the grant expires or is revoked; every view is audited with
the request reference as purpose."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import get_resolver, reverse
from django.utils import timezone

from quipu.audit.models import AuditEntry
from quipu.cooperation.requests.categories import CATEGORY_FIELDS, record_disclosure
from quipu.cooperation.requests.models import Category, Grant
from quipu.cooperation.requests.services import information_request_transition
from tests.conftest import background_tasks_run
from tests.cooperation.requests.factories import (
    CITY,
    NEVER_GRANTED,
    OWNER_FOCAL,
    REQUESTER,
    VALUES_BY_CATEGORY,
    owner_case,
    request_granted,
    user,
)

pytestmark = pytest.mark.django_db

SAMPLE_VALUES = ["NombreCO", "ApellidoCO"]  # the owner's sample case, never granted


def _no_arg_routes() -> list[str]:
    """Every named GET route of the site that takes no argument."""
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name and not pattern.pattern.regex.groups:
                names.append(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return sorted(set(names) - {"accounts:logout", "admin:logout", "web:set_language"})


def _requester_sees(client, found) -> dict[str, str]:
    """What the requester can reach: every page and API route of the site without arguments,
    the request's pages and API, the grant page and API, notifications, and a case export."""
    seen = {}
    for name in _no_arg_routes():
        seen[name] = client.get(reverse(name)).content.decode(errors="replace")
    for name in ("requests:detail", "requests:grant", "api:information-request"):
        seen[name] = client.get(reverse(name, args=[found.pk])).content.decode()
    seen["api:information-request-grant"] = client.get(
        reverse("api:information-request-grant", args=[found.pk])
    ).content.decode()
    for box in ("in", "out"):
        seen[f"inbox-{box}"] = client.get(reverse("requests:inbox"), {"box": box}).content.decode()
        seen[f"api-{box}"] = client.get(
            reverse("api:information-requests"), {"box": box}
        ).content.decode()
    export = client.post(reverse("intake:export_start"), {"export_format": "csv"})
    background_tasks_run()
    job_id = export["Location"].rstrip("/").split("/")[-1]
    download = client.get(reverse("intake:export_download", args=[job_id]))
    seen["export"] = b"".join(download.streaming_content).decode(errors="replace")
    seen["mail"] = "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox)
    return seen


@pytest.mark.parametrize("granted", sorted(Category.values))
def test_rule1_no_field_outside_a_grant_ever_leaves_the_owner(region, login, granted):
    requested = sorted(Category.values)
    found = request_granted(categories=requested, granted=[granted])
    seen = _requester_sees(login(REQUESTER), found)
    forbidden = [
        value
        for category, values in VALUES_BY_CATEGORY.items()
        if category != granted
        for value in values
    ]
    forbidden += NEVER_GRANTED + SAMPLE_VALUES
    leaks = [
        f"{where}: {value}" for where, body in seen.items() for value in forbidden if value in body
    ]
    assert not leaks, "\n".join(leaks)
    # The granted category does arrive, on the page and through the API.
    for value in VALUES_BY_CATEGORY[granted]:
        assert value in seen["api:information-request-grant"]
    assert VALUES_BY_CATEGORY[granted][0] in seen["requests:grant"]


def test_the_category_mapping_covers_exactly_what_the_disclosure_returns(region):
    case = owner_case()
    for category in Category.values:
        record = record_disclosure(case, [category])
        names = {n for fields in CATEGORY_FIELDS[category].values() for n in fields}
        victim = record["victims"][0]
        shown = set()
        for key, value in victim.items():
            if key == "victim":
                continue
            for row in value if isinstance(value, list) else [value]:
                shown |= set(row)
        for key, value in record.get("proceedings", {}).items():
            shown |= set(value[0]) if key == "steps" and value else {key} - {"steps"}
        assert shown <= names, (category, shown - names)


def test_a_revoked_grant_stops_api_access_at_the_next_request(region, login):
    found = request_granted()
    client = login(REQUESTER)
    url = reverse("api:information-request-grant", args=[found.pk])
    first = client.get(url)
    assert first.status_code == 200 and CITY in first.content.decode()
    owner = login(OWNER_FOCAL)
    revoked = owner.post(
        reverse("api:information-request-revoke", args=[found.pk]),
        {"comment": "Archivado"},
        content_type="application/json",
    )
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    client = login(REQUESTER)
    after = client.get(url)
    assert after.status_code == 403 and CITY not in after.content.decode()
    assert client.get(reverse("requests:grant", args=[found.pk])).status_code == 403


def test_an_expired_grant_stops_access_the_day_after_its_expiry(region, login):
    found = request_granted(days=1)
    client = login(REQUESTER)
    url = reverse("api:information-request-grant", args=[found.pk])
    assert client.get(url).status_code == 200
    Grant.objects.filter(information_request=found).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    assert client.get(url).status_code == 403
    assert client.get(reverse("requests:grant", args=[found.pk])).status_code == 403


def test_the_owner_side_cannot_read_through_the_grant_route(region, login):
    found = request_granted()
    response = login(OWNER_FOCAL).get(reverse("api:information-request-grant", args=[found.pk]))
    assert response.status_code == 403


def test_every_view_under_a_grant_and_every_transition_is_audited_with_the_reference(region, login):
    found = request_granted()
    client = login(REQUESTER)
    client.get(reverse("requests:grant", args=[found.pk]))
    client.get(reverse("api:information-request-grant", args=[found.pk]))
    reads = AuditEntry.objects.filter(
        action="read", actor_username=REQUESTER, purpose=found.reference
    )
    assert reads.count() == 2
    assert {row.detail["via"] for row in reads} == {"web", "api"}
    assert all(row.subject_country == "CO" for row in reads)
    changes = AuditEntry.objects.filter(purpose=found.reference).exclude(action="read")
    assert [(row.action, row.actor_username) for row in changes.order_by("seq")] == [
        ("create", REQUESTER),
        ("update", OWNER_FOCAL),
    ]
    for row in AuditEntry.objects.filter(purpose=found.reference):
        assert "Wendolyn" not in str(row.detail) and CITY not in str(row.detail)


def test_a_grant_lists_the_owner_chosen_records_only(region, login):
    first, second = owner_case(key="one"), owner_case(key="two")
    found = request_granted(case=first)
    body = login(REQUESTER).get(reverse("api:information-request-grant", args=[found.pk])).json()
    assert [record["case"] for record in body["records"]] == [first.pk]
    assert second.pk not in [record["case"] for record in body["records"]]


def test_revoking_needs_the_owner_and_a_reason(region):
    found = request_granted()
    from quipu.errors import InvalidInput, NotAllowed

    with pytest.raises(NotAllowed):
        information_request_transition(
            actor=user(REQUESTER), information_request=found, action="revoke", comment="x"
        )
    with pytest.raises(InvalidInput):
        information_request_transition(
            actor=user(OWNER_FOCAL), information_request=found, action="revoke"
        )

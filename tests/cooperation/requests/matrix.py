"""Permission-matrix rules for information requests (see tests/matrix_rules.py).

A request has two parties: the requesting country's OPEN_REQUESTS holders (focal points and
prosecutors) and the receiving country's focal points. The matrix record of a country is a
request whose both sides are that country, with an active grant of its sample case, so that
exactly its focal point and prosecutor may open it and nobody of the neighbour may. The
cross-country visibility is tested in test_visibility.py.
"""

from tests.matrix_rules import ANY, Route, roles

PARTIES = roles("focal_point", "prosecutor")
POST_ONLY = {"ok": (405,), "kwargs": {"pk": 1}}

ROUTES = {
    "requests:inbox": Route(PARTIES),
    "requests:new": Route(PARTIES),
    "requests:detail": Route(PARTIES, obj="information_request"),
    "requests:act": Route(ANY, ok=(405,), kwargs={"pk": 1, "action": "approve"}),
    "requests:grant": Route(PARTIES, obj="information_request"),
    "api:information-requests": Route(PARTIES),
    "api:information-request": Route(PARTIES, obj="information_request"),
    "api:information-request-transition": Route(PARTIES, **POST_ONLY),  # others: 403
    "api:information-request-grant": Route(PARTIES, obj="information_request"),
    "api:information-request-revoke": Route(PARTIES, **POST_ONLY),  # others: 403
}


def _matrix_request(country: str):
    from datetime import timedelta

    from django.utils import timezone

    from quipu.cases.models import Case
    from quipu.cooperation.requests.models import Grant, InformationRequest
    from quipu.tenancy.models import Institution

    found, created = InformationRequest.objects.get_or_create(
        demo_key=f"matrix:{country}",
        defaults={
            "requesting_institution": Institution.objects.get(code=f"{country}-PROSECUTOR"),
            "requesting_country_id": country,
            "receiving_country_id": country,
            "legal_basis": "prosecutors",
            "purpose": "Matrix",
            "categories": ["identity"],
            "urgency": "routine",
            "due_on": timezone.localdate() + timedelta(days=10),
            "state": "approved",
            "sent_at": timezone.now(),
        },
    )
    if created:
        grant = Grant.objects.create(
            information_request=found,
            owner_country_id=country,
            categories=["identity"],
            expires_on=timezone.localdate() + timedelta(days=30),
            granted_at=timezone.now(),
        )
        grant.cases.set([Case.objects.get(reference=f"{country}-TEST-1")])
    return found


RECORDS = {"information_request": _matrix_request}

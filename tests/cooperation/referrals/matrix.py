"""Permission-matrix rules for consular referrals (see tests/matrix_rules.py).

A referral has two parties: the referring institution and the home country's focal point.
The matrix record of a country is one whose both sides are that country (its police referred
its own sample victim to its own focal point), so that exactly the caseworker (referring side)
and the focal point (home side) of that country may open it, and nobody of the neighbour.
The two-party visibility across countries is tested in test_visibility.py.
"""

from tests.matrix_rules import ANY, Route, roles

REFERRING = roles("caseworker", "consular_officer")  # OPEN_REFERRALS
PARTIES = roles("caseworker", "consular_officer", "focal_point")
POST_ONLY = {"ok": (405,), "kwargs": {"pk": 1}}

ROUTES = {
    "referrals:list": Route(REFERRING),
    "referrals:incoming": Route(roles("focal_point")),
    "referrals:new": Route(REFERRING),
    "referrals:register": Route(roles("consular_officer")),
    "referrals:figures": Route(roles("secretariat")),
    "referrals:detail": Route(roles("caseworker", "focal_point"), obj="referral"),
    "referrals:act": Route(ANY, ok=(405,), kwargs={"pk": 1, "action": "accept"}),
    "referrals:step_new": Route(ANY, **POST_ONLY),
    "referrals:step_change": Route(ANY, **POST_ONLY),
    "api:referrals": Route(PARTIES),
    "api:referral": Route(roles("caseworker", "focal_point"), obj="referral"),
    "api:referral-transition": Route(PARTIES, **POST_ONLY),  # others: 403
    "api:referral-steps": Route(PARTIES, **POST_ONLY),  # others: 403
    "api:referral-step": Route(PARTIES, **POST_ONLY),  # others: 403
    "api:referral-counts": Route(roles("secretariat")),
}


def _matrix_referral(country: str):
    from django.utils import timezone

    from quipu.cases.models import Case
    from quipu.cooperation.referrals.models import Referral
    from quipu.tenancy.models import Institution

    victim = Case.objects.get(reference=f"{country}-TEST-1").victims.get()
    referral, _ = Referral.objects.get_or_create(
        demo_key=f"matrix:{country}",
        defaults={
            "referring_institution": Institution.objects.get(code=f"{country}-POLICE"),
            "referring_country_id": country,
            "home_country_id": country,
            "victim": victim,
            "assistance": ["shelter"],
            "urgency": "urgent",
            "contact_name": "Matrix",
            "contact_email": "matrix@quipu.example",
            "sent_at": timezone.now(),
        },
    )
    return referral


RECORDS = {"referral": _matrix_referral}

"""Helpline fixtures: an operator per country (a caseworker of XX-HELPLINE) and reports."""

import pytest

from quipu.cooperation.helpline.services import report_log
from quipu.tenancy.models import Country, Institution, Membership, MembershipRole, User

ACCOUNT = "Vecina llama: en el taller de la calle 8 encierran a tres jóvenes de noche."


def operator(country: str) -> User:
    """helpline.xx: the operator of the country's helpline (role caseworker)."""
    user, _ = User.objects.get_or_create(username=f"helpline.{country.lower()}")
    membership, _ = Membership.objects.update_or_create(
        user=user, defaults={"institution": Institution.objects.get(code=f"{country}-HELPLINE")}
    )
    MembershipRole.objects.get_or_create(membership=membership, role="caseworker")
    return user


def logged(country: str = "CO", *, about: str | None = None, **overrides):
    """A report logged by the country's operator, about `about` (default: the same country)."""
    fields = {
        "situation": "forced_labour",
        "urgency": "3_normal",
        "channel": "phone",
        "account": ACCOUNT,
        "place_country": Country.objects.get(code=about or country),
        "place": "Barrio San Andrés",
        "identifiers": [{"kind": "phone", "value": "+573012345678"}],
        **overrides,
    }
    return report_log(actor=operator(country), **fields)


@pytest.fixture
def report(region):
    return logged("CO")

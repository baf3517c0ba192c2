"""What each side of a referral reads of it: the one rule, used by the pages and the API alike.

The referring institution owns the victim's record and reads it whole. The home country reads
the victim's identity (names, date of birth, sex, citizenship) and the free-text details of the
assistance needed only when the victim consented, in the HTCDS consent record (con_), both to
the management of their data and to its sharing with the country of citizenship. Without that
consent, or with none recorded, the home country reads the fact of the referral, the categories
of assistance, the urgency, and the referring institution with its contact: nothing personal.
"""

from dataclasses import dataclass, field

from quipu.cases.models import Consent
from quipu.cooperation.referrals.models import Referral
from quipu.cooperation.referrals.workflows import HOME, REFERRING

IDENTITY_FIELDS = ("first_name", "middle_name", "second_name", "birthdate", "gender")


def consent_to_share(referral: Referral) -> bool:
    """True only with a consent record that allows sharing with the country of citizenship."""
    consent = Consent.objects.filter(victim_id=referral.victim_id).first()
    return bool(consent and consent.consent and consent.share_with_home_country)


@dataclass
class Disclosure:
    """The part of a referral one reader may see. `identity` is empty when it is withheld."""

    side: str
    identity_shared: bool
    identity: dict = field(default_factory=dict)
    assistance_details: str = ""

    @property
    def personal(self) -> bool:
        """Whether this view shows personal data (and so must be audited)."""
        return bool(self.identity)


def referral_disclosure(referral: Referral, *, side: str) -> Disclosure:
    """What `side` (HOME or REFERRING) may read of `referral`, per the victim's consent."""
    shared = referral.victim_id is not None and consent_to_share(referral)
    if referral.victim_id is None or (side != REFERRING and not (side == HOME and shared)):
        return Disclosure(side=side, identity_shared=False)
    person = referral.victim.person
    identity = {name: getattr(person, name) for name in IDENTITY_FIELDS}
    identity["citizenship"] = person.citizenship_id or ""
    return Disclosure(
        side=side,
        identity_shared=shared,
        identity=identity,
        assistance_details=referral.assistance_details,
    )

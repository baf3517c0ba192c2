"""`quipu demo`: each member state's focal point has set targets on part of the framework,
from its 2024 baseline, so that the progress pages show countries on and off track.

Idempotent: a country that already has targets is left alone.
"""

import random
import zlib
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from quipu.indicators.models import Unit
from quipu.progress.models import CountryTarget
from quipu.progress.values import active_indicators, period_values, value_rounded
from quipu.tenancy.countries import REGIONAL_PLATFORM
from quipu.tenancy.models import Country, User
from quipu.tenancy.permissions import principal_for

BASELINE, TARGET_YEARS = "2024", (2027, 2028, 2030)


def _target(unit: str, baseline: Decimal, rng: random.Random) -> Decimal:
    if unit == Unit.YES_NO:
        return Decimal(1)
    if unit == Unit.PERCENTAGE:
        return min(Decimal(100), value_rounded(unit, baseline + rng.randint(5, 25)))
    if unit == Unit.ORDINAL:
        return min(Decimal(5), baseline + 1)
    return value_rounded(unit, baseline * Decimal(rng.choice((1.1, 1.25, 1.5, 2))))


@transaction.atomic
def demo_build(*, stdout) -> None:
    indicators = active_indicators()
    members = [c for c in REGIONAL_PLATFORM if Country.objects.filter(code=c).exists()]
    baseline = period_values(
        period=BASELINE, countries=members, include_pending=False, suppress=False
    )
    created = 0
    for code in members:
        if CountryTarget.objects.filter(country_id=code).exists():
            continue
        focal = User.objects.filter(username=f"focal.{code.lower()}").first()
        institution_id = principal_for(focal).institution_id if focal else None
        if institution_id is None:
            continue
        rng = random.Random(zlib.crc32(f"targets:{code}".encode()))
        for indicator in indicators:
            value = baseline[code][indicator.code]
            if not value.known or rng.random() < 0.3:  # not every indicator has a target
                continue
            CountryTarget.objects.create(
                indicator=indicator,
                country_id=code,
                value=_target(indicator.unit, value.value, rng),
                target_year=rng.choice(TARGET_YEARS),
                institution_id=institution_id,
                set_by=focal,
            )
            created += 1
    stdout.write(_("Country targets: %(count)s set.") % {"count": created})

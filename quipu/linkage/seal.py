"""The consular seal in matching (docs/decisions.md, 2026-11-30): a case registered by a
consulate abroad reaches its home country only through a consular referral, within the
victim's consent. Match notices must not open a second way in, so the matcher's pairs with
such a record never become notices, and notices made before are hidden from every reviewer
but the consulate itself. The permission layer seals case data (`CONSULAR_SEALED`); notice
sides are linkage rows, so their seal is declared here, in one place for this app."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from quipu.tenancy.models import Institution
from quipu.tenancy.permissions import principal_for, sealed_institution


def sealed_institution_ids(ids: Iterable[int] | None = None) -> set[int]:
    """Of these institutions (all with None), the consulates located abroad."""
    consulates = Institution.objects.filter(sealed_institution())
    if ids is not None:
        consulates = consulates.filter(pk__in=set(ids))
    return set(consulates.values_list("pk", flat=True))


def sealed_for(user, prefix: str = "") -> Q:
    """Rows (notice sides, through `prefix`) owned by a consulate abroad that is not the
    user's own institution: what the seal takes out of the user's view."""
    own = principal_for(user).institution_id
    sealed = sealed_institution(f"{prefix}institution")
    return sealed & ~Q(**{f"{prefix}institution_id": own}) if own else sealed

"""Writes for progress: a country's focal point sets the country's targets."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import InvalidInput, NotAllowed
from quipu.indicators.models import Indicator, Unit
from quipu.progress.models import CountryTarget
from quipu.tenancy.models import Country
from quipu.tenancy.permissions import denial_record, principal_for
from quipu.tenancy.roles import Capability, Scope

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class TargetInput:
    """One indicator's target as entered; value None clears the target."""

    indicator: Indicator
    value: Decimal | None
    year: int | None
    note: str = ""


def may_set_targets(user, country: str) -> bool:
    """Targets are the country's own: only its focal point sets them."""
    principal = principal_for(user)
    return principal.scope(Capability.APPROVE_DISCLOSURE) is Scope.COUNTRY and (
        principal.country_id == country
    )


def targets_setter_require(user, country: Country, *, request=None) -> None:
    """NotAllowed, audited as a denial, unless `user` is the country's focal point."""
    if not may_set_targets(user, country.code):
        denial_record(user, capability=Capability.APPROVE_DISCLOSURE, obj=country, request=request)
        raise NotAllowed(_("Only the country's focal point sets its targets."))


def target_problems(entry: TargetInput) -> dict[str, str]:
    """{"value" or "year": message} for a target that cannot be set."""
    problems = {}
    if entry.value is None:
        return problems
    unit = entry.indicator.unit
    if entry.year is None:
        problems["year"] = _("Give the year by which the target should be reached.")
    elif not FIRST_YEAR <= entry.year <= LAST_YEAR:
        problems["year"] = _("The year must be between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    if unit == Unit.YES_NO and entry.value not in (0, 1):
        problems["value"] = _("A yes/no target is 1 (yes) or 0 (no).")
    elif entry.value < 0:
        problems["value"] = _("A target cannot be negative.")
    elif unit == Unit.PERCENTAGE and entry.value > 100:
        problems["value"] = _("A percentage cannot be over 100.")
    return problems


def country_targets_set(
    *, actor, country: Country, targets: list[TargetInput], request=None
) -> dict[str, int]:
    """Create, change or clear the country's targets in one step; audits each change."""
    targets_setter_require(actor, country, request=request)
    problems = {t.indicator.code: p for t in targets if (p := target_problems(t))}
    if problems:
        raise InvalidInput(_("Some targets need attention."), code="targets_invalid")
    principal = principal_for(actor)
    counts = {"set": 0, "cleared": 0}
    with transaction.atomic():
        existing = {
            row.indicator_id: row
            for row in CountryTarget.objects.select_for_update().filter(country=country)
        }
        for entry in targets:
            row = existing.get(entry.indicator.pk)
            if entry.value is None:
                if row is not None:
                    row.delete()
                    _audit(actor, Action.DELETE, country, entry, request)
                    counts["cleared"] += 1
                continue
            wanted = (entry.value, entry.year, entry.note)
            if row is not None and (row.value, row.target_year, row.note) == wanted:
                continue
            CountryTarget.objects.update_or_create(
                indicator=entry.indicator,
                country=country,
                defaults={
                    "value": entry.value,
                    "target_year": entry.year,
                    "note": entry.note,
                    "institution_id": principal.institution_id,
                    "set_by": actor,
                },
            )
            _audit(actor, Action.UPDATE if row else Action.CREATE, country, entry, request)
            counts["set"] += 1
    return counts


def _audit(actor, action, country: Country, entry: TargetInput, request) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="progress.countrytarget",
        object_id=f"{country.code}:{entry.indicator.code}",
        subject_country=country.code,
        detail={"indicator": entry.indicator.code},
        request=request,
    )

"""Which countries a user's dashboard covers, and their figures, through the permission layer."""

from quipu.cooperation.dashboard.sections import REGION, Section, sections
from quipu.errors import NotAllowed
from quipu.tenancy.countries import REGIONAL_PLATFORM
from quipu.tenancy.permissions import principal_for
from quipu.tenancy.roles import Capability, Scope


def dashboard_countries(*, user) -> list[str]:
    """The whole platform for the secretariat; one's own country for national readers."""
    principal = principal_for(user)
    scope = principal.scope(Capability.READ_AGGREGATES)
    if scope is Scope.REGION:
        return list(REGIONAL_PLATFORM)
    if scope is Scope.COUNTRY and principal.country_id:
        return [principal.country_id]
    raise NotAllowed()


def dashboard_figures(*, user) -> tuple[list[str], list[tuple[Section, dict]]]:
    """(countries, [(section, figures)]); figures[country][metric], REGION for the region."""
    countries = dashboard_countries(user=user)
    computed = []
    for section in sections():
        figures = section.compute(countries)
        if len(countries) == 1:
            figures.pop(REGION, None)  # a country's own page needs no region row
        computed.append((section, figures))
    return countries, computed

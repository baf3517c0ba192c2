from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from quipu.cooperation.dashboard.sections import REGION
from quipu.cooperation.dashboard.selectors import dashboard_figures
from quipu.tenancy.country_order import codes_by_name
from quipu.tenancy.models import Country
from quipu.tenancy.permissions import require
from quipu.tenancy.roles import Capability


@login_required
def overview(request):
    require(request.user, Capability.READ_AGGREGATES, request=request)
    countries, computed = dashboard_figures(user=request.user)
    names = {country.code: country.name for country in Country.objects.filter(code__in=countries)}
    tables = []
    for section, figures in computed:
        rows = [(names[code], figures.get(code, {})) for code in codes_by_name(countries, names)]
        region = figures.get(REGION)
        tables.append(
            {
                "section": section,
                "rows": [
                    (name, [values.get(m.code) for m in section.metrics]) for name, values in rows
                ],
                "region": [region.get(m.code) for m in section.metrics] if region else None,
            }
        )
    context = {"tables": tables, "regional": len(countries) > 1}
    return render(request, "dashboard/overview.html", context)

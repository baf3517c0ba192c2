"""Progress pages: the regional overview, a country's progress and targets, an axis's and an
indicator's charts, the harmonisation matrix, and downloads. Thin: selectors decide what each
reader sees, and how (see selectors.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from quipu.indicators.models import Axis, Indicator
from quipu.progress import figures
from quipu.progress.exports import CONTENT_TYPES, EXTENSIONS, FORMATS, export_bytes
from quipu.progress.forms import TargetsForm
from quipu.progress.models import CountryTarget
from quipu.progress.selectors import (
    REGIONAL,
    axes_with_indicators,
    country_visible,
    member_countries,
    period_chosen,
    periods_until,
    progress_periods,
    progress_reader,
    progress_table,
    reading_for,
)
from quipu.progress.services import (
    country_targets_set,
    may_set_targets,
    targets_setter_require,
)
from quipu.tenancy.country_order import countries_by_name
from quipu.tenancy.permissions import principal_for


def _periods(request) -> tuple[list[str], str]:
    periods = progress_periods()
    return periods, period_chosen(request.GET.get("period"), periods)


@login_required
def overview(request):
    """Every member state's latest value and status per indicator: a regional view."""
    progress_reader(request.user, request=request)
    periods, period = _periods(request)
    countries = countries_by_name(member_countries())
    codes = [c.code for c in countries]
    table = progress_table(
        countries=codes, periods=periods_until(periods, period), reading=REGIONAL
    )
    axes = [
        (axis, [(i, [table[(i.code, code)] for code in codes]) for i in indicators])
        for axis, indicators in axes_with_indicators()
    ]
    own = principal_for(request.user).country_id
    context = {
        "axes": axes,
        "countries": countries,
        "periods": periods,
        "period": period,
        "own_country": own if own in codes else None,
        "formats": FORMATS,
    }
    return render(request, "progress/overview.html", context)


@login_required
def country(request, code: str):
    progress_reader(request.user, request=request)
    found = country_visible(code=code)
    periods, period = _periods(request)
    reading = reading_for(request.user, country=found.code)
    table = progress_table(
        countries=[found.code], periods=periods_until(periods, period), reading=reading
    )
    axes = [
        (axis, [(i, table[(i.code, found.code)]) for i in indicators])
        for axis, indicators in axes_with_indicators()
    ]
    context = {
        "country": found,
        "axes": axes,
        "periods": periods,
        "period": period,
        "national": reading.national,
        "may_set_targets": may_set_targets(request.user, found.code),
        "formats": FORMATS,
    }
    return render(request, "progress/country.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def targets(request, code: str):
    progress_reader(request.user, request=request)
    found = country_visible(code=code)
    targets_setter_require(request.user, found, request=request)
    indicators = [i for _axis, items in axes_with_indicators() for i in items]
    current = {
        row.indicator.code: row
        for row in CountryTarget.objects.filter(country=found).select_related("indicator")
    }
    form = TargetsForm(request.POST or None, indicators=indicators, current=current)
    if request.method == "POST" and form.is_valid():
        counts = country_targets_set(
            actor=request.user, country=found, targets=form.targets(), request=request
        )
        messages.success(
            request,
            _("Targets saved: %(set)s set or changed, %(cleared)s cleared.") % counts,
        )
        return redirect("progress:country", code=found.code)
    return render(request, "progress/targets.html", {"country": found, "form": form})


@login_required
def axis(request, code: str):
    progress_reader(request.user, request=request)
    found = get_object_or_404(Axis, code=code)
    periods, period = _periods(request)
    indicators = [i for a, items in axes_with_indicators() if a.pk == found.pk for i in items]
    charts = figures.axis_charts(indicators=indicators, periods=periods, period=period)
    context = {"axis": found, "charts": charts, "periods": periods, "period": period}
    return render(request, "progress/axis.html", context)


@login_required
def indicator(request, code: str):
    progress_reader(request.user, request=request)
    found = get_object_or_404(Indicator, code=code, is_active=True)
    periods, period = _periods(request)
    context = {
        "indicator": found,
        "periods": periods,
        "period": period,
        **figures.indicator_figures(indicator=found, periods=periods, period=period),
    }
    return render(request, "progress/indicator.html", context)


@login_required
def harmonisation(request):
    progress_reader(request.user, request=request)
    periods, period = _periods(request)
    context = {"periods": periods, "period": period, **figures.harmonisation_matrix(period)}
    return render(request, "progress/harmonisation.html", context)


@login_required
def download(request, format: str):
    """Indicator values of a period: regional, or a country's own figures with ?country=."""
    progress_reader(request.user, request=request)
    if format not in FORMATS:
        raise Http404
    periods, period = _periods(request)
    members = [c.code for c in member_countries()]
    asked = (request.GET.get("country") or "").upper()
    if asked and asked not in members:
        raise Http404
    countries = [asked] if asked else members
    reading = reading_for(request.user, country=asked or None)
    content = export_bytes(
        format=format,
        period=period,
        countries=countries,
        reading=reading,
        actor=request.user,
        request=request,
    )
    name = f"quipu-indicators-{period}{'-' + asked if asked else ''}.{EXTENSIONS[format]}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from quipu.indicators import selectors
from quipu.indicators.forms import IndicatorForm, UploadForm
from quipu.indicators.models import Indicator
from quipu.indicators.services import FrameworkInvalid, indicator_save
from quipu.indicators.services import framework_export as framework_export_service
from quipu.indicators.services import framework_import as framework_import_service
from quipu.indicators.surveys import SurveyInvalid
from quipu.indicators.surveys import survey_import as survey_import_service
from quipu.indicators.xlsform.definition import form_definition, language_pick
from quipu.indicators.xlsform.engine import ADD, REMOVE, form_fill
from quipu.indicators.xlsform.guide import guide_build
from quipu.tenancy.country_order import name_sort_key
from quipu.tenancy.permissions import can, require
from quipu.tenancy.roles import Capability

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _labelled(axes):
    """Each indicator's choice labels, translated once per page rather than once per cell."""
    from quipu.indicators import models
    from quipu.tenancy.models import InstitutionKind

    tables = {
        name: {value: str(label) for value, label in choices.choices}
        for name, choices in (
            ("unit", models.Unit),
            ("computation", models.Computation),
            ("aggregation", models.Aggregation),
            ("case_measure", models.CaseMeasure),
            ("data_source", models.DataSource),
            ("periodicity", models.Periodicity),
            ("responsible_kind", InstitutionKind),
            ("disaggregations", models.Disaggregation),
        )
    }
    for axis in axes:
        for indicator in axis.indicators.all():
            indicator.labels = {
                name: table.get(getattr(indicator, name), "")
                for name, table in tables.items()
                if name != "disaggregations"
            }
            indicator.labels["disaggregations"] = ", ".join(
                tables["disaggregations"].get(code, code) for code in indicator.disaggregations
            )
    return axes


def _population_by_name(rows: list) -> list:
    """Population figures by country name in the reader's language, then year."""
    from quipu.tenancy.models import Country

    codes = {row.country_code for row in rows}
    names = {c.code: c.name for c in Country.objects.filter(code__in=codes)}
    for row in rows:
        row.country_name = names.get(row.country_code, row.country_code)
    return sorted(rows, key=lambda row: (name_sort_key(row.country_name), row.year))


@login_required
def framework(request):
    """The indicator framework by axis; the secretariat also gets edit and import controls."""
    context = {
        "axes": _labelled(selectors.framework_by_axis(include_inactive=True)),
        "population": _population_by_name(selectors.population_figures()),
        "can_edit": can(request.user, Capability.MANAGE_REGION),
    }
    return render(request, "indicators/framework.html", context)


def _indicator_page(request, indicator: Indicator):
    require(request.user, Capability.MANAGE_REGION, request=request)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        saved = indicator_save(
            actor=request.user,
            indicator=form.save(commit=False),
            changed=form.changed_data,
            request=request,
        )
        messages.success(request, _("Indicator %(code)s saved.") % {"code": saved.code})
        return redirect("indicators:framework")
    return render(request, "indicators/indicator_edit.html", {"form": form, "indicator": indicator})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_new(request):
    return _indicator_page(request, Indicator())


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, code: str):
    require(request.user, Capability.MANAGE_REGION, request=request)
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        from django.http import Http404

        raise Http404
    return _indicator_page(request, indicator)


@login_required
def framework_export(request):
    content = framework_export_service(actor=request.user, request=request)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="quipu-indicator-framework.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def framework_import(request):
    require(request.user, Capability.MANAGE_REGION, request=request)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = framework_import_service(
                actor=request.user, content=upload.read(), file_name=upload.name, request=request
            )
        except FrameworkInvalid as error:
            errors = error.errors
        else:
            messages.success(
                request,
                _(
                    "Framework imported: %(created)s new, %(updated)s updated, "
                    "%(unchanged)s unchanged, %(deactivated)s deactivated."
                )
                % counts,
            )
            return redirect("indicators:framework")
    status = 422 if errors else 200
    context = {"form": form, "errors": errors}
    return render(request, "indicators/framework_import.html", context, status=status)


@login_required
def survey_list(request):
    context = {
        "surveys": selectors.surveys_latest(),
        "can_import": can(request.user, Capability.MANAGE_REGION),
    }
    return render(request, "indicators/survey_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_import(request):
    require(request.user, Capability.MANAGE_REGION, request=request)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            survey, outcome = survey_import_service(
                actor=request.user, content=upload.read(), file_name=upload.name, request=request
            )
        except SurveyInvalid as error:
            problems = error.problems
        else:
            text = {
                "created": _("Form %(form)s imported."),
                "updated": _("Form %(form)s updated."),
                "unchanged": _("Form %(form)s was already imported; nothing changed."),
            }[outcome]
            messages.success(request, text % {"form": survey.form_id})
            return redirect("indicators:survey_fill", form_id=survey.form_id)
    status = 422 if problems else 200
    context = {"form": form, "problems": problems}
    return render(request, "indicators/survey_import.html", context, status=status)


def _form_language(survey, request) -> str:
    definition = form_definition(survey)
    wanted = request.GET.get("lang") or get_language() or "es"
    return language_pick(definition.languages, definition.default_language, wanted)


@login_required
@require_http_methods(["GET", "POST"])
def survey_fill(request, form_id: str):
    """The web form: try the questionnaire with every rule enforced. Answers are not kept
    here; survey rounds store them."""
    survey = selectors.survey_latest(form_id=form_id)
    definition = form_definition(survey)
    language = _form_language(survey, request)
    data = request.POST if request.method == "POST" else None
    adjusting = data is not None and (ADD in data or REMOVE in data)
    # While typing (htmx), rules are enforced only once the person has asked for a check.
    checked_before = data is not None and "__checked__" in data
    check = data is not None and not adjusting and (not request.htmx or checked_before)
    filled = form_fill(definition, data, language=language, check=check)
    indicators = selectors.survey_indicators(survey)
    for node in filled.walk():
        node.indicator = indicators.get(node.question.path)
    context = {
        "survey": survey,
        "filled": filled,
        "language": language,
        "form_languages": [
            (name.rsplit("(", 1)[-1].rstrip(")").strip(), name)
            for name in definition.languages
            if "(" in name
        ],
    }
    if request.htmx:  # htmx swaps 2xx answers only
        return render(request, "indicators/survey_form.html", context)
    return render(
        request, "indicators/survey_fill.html", context, status=422 if filled.errors else 200
    )


GUIDE_LANGUAGES = ("es", "pt-br", "en")


@login_required
def survey_guide(request, form_id: str):
    """The printable form guide, generated from the form, in the language asked for
    (`?lang=es|pt-br|en`): the form's own texts and the page's alike."""
    survey = selectors.survey_latest(form_id=form_id)
    wanted = (request.GET.get("lang") or get_language() or "es").lower()
    wanted = wanted if wanted in GUIDE_LANGUAGES else "es"
    with translation.override(wanted):
        definition = form_definition(survey)
        language = language_pick(definition.languages, definition.default_language, wanted)
        context = {
            "survey": survey,
            "language": language,
            "guide_language": wanted,
            "guide_languages": GUIDE_LANGUAGES,
            "sections": guide_build(survey, language=language),
        }
        response = render(request, "indicators/survey_guide.html", context)
    return response

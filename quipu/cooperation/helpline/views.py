"""Thin views: parse the request, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quipu.cooperation.helpline import triage, workflows
from quipu.cooperation.helpline.exports import inbox_csv
from quipu.cooperation.helpline.forms import (
    CaseForm,
    CloseForm,
    IdentifierFormSet,
    InboxFilterForm,
    LeadForm,
    ReportLogForm,
    RouteForm,
    identifiers_of,
)
from quipu.cooperation.helpline.personal import CALLER_FIELDS
from quipu.cooperation.helpline.selectors import (
    institutions_assignable,
    report_history,
    report_identifiers,
    report_visible,
    reports_of_my_institution,
    triage_inbox,
)
from quipu.cooperation.helpline.services import report_log, report_read_audit
from quipu.errors import InvalidInput, InvalidTransition
from quipu.tenancy.permissions import can, require
from quipu.tenancy.roles import Capability

PAGE_SIZE = 25


@login_required
def report_new(request):
    principal = require(request.user, Capability.LOG_REPORTS, request=request)
    region = principal.country_id
    form = ReportLogForm(request.POST or None, region=region)
    identifiers = IdentifierFormSet(
        request.POST or None, prefix="identifiers", form_kwargs={"region": region}
    )
    if request.method == "POST" and form.is_valid() and identifiers.is_valid():
        data = form.cleaned_data
        try:
            report = report_log(
                actor=request.user,
                situation=data["situation"],
                urgency=data["urgency"],
                channel=data["channel"],
                account=data["account"],
                place_country=data["place_country"],
                place=data["place"],
                identifiers=identifiers_of(identifiers),
                caller_consents=data["caller_consents"],
                caller={name: data[name] for name in CALLER_FIELDS},
                request=request,
            )
        except InvalidInput as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The report was logged."))
            return redirect("helpline:detail", pk=report.pk)
    context = {"form": form, "identifiers": identifiers}
    return render(request, "helpline/report_new.html", context)


@login_required
def reports_mine(request):
    require(request.user, Capability.READ_CASES, request=request)
    reports = reports_of_my_institution(user=request.user).order_by("-created_at", "-id")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "reports": page.object_list,
        "query": "",
        "can_log": can(request.user, Capability.LOG_REPORTS),
    }
    return render(request, "helpline/reports_mine.html", context)


def _inbox_filters(request) -> tuple[InboxFilterForm, dict | None]:
    """The filter form and the filters chosen (codes only: no search terms in the URL);
    None when a value is not one of the choices."""
    filters = InboxFilterForm(request.GET or None)
    if filters.is_bound and not filters.is_valid():
        return filters, None
    return filters, filters.cleaned_data if filters.is_bound else {}


@login_required
def inbox(request):
    require(request.user, Capability.TRIAGE_REPORTS, request=request)
    filters, chosen = _inbox_filters(request)
    reports = triage_inbox(user=request.user, filters=chosen or {})
    if chosen is None:  # the page shows the error on the filter, not an unfiltered list
        reports = reports.none()
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (chosen or {}).items() if v})
    context = {"filters": filters, "page": page, "reports": page.object_list, "query": query}
    return render(request, "helpline/inbox.html", context, status=400 if chosen is None else 200)


@login_required
def inbox_export(request):
    require(request.user, Capability.TRIAGE_REPORTS, request=request)
    _, chosen = _inbox_filters(request)
    if chosen is None:
        return inbox(request)
    body = inbox_csv(actor=request.user, filters=chosen, request=request)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="helpline-reports.csv"'
    return response


def _triage_forms(request, report, bound: tuple[str, object] | None = None) -> dict:
    forms = {}
    for action in workflows.actions_open(request.user, report):
        if bound and bound[0] == action:
            forms[action] = bound[1]
            continue
        forms[action] = _triage_form(action, report, None)
    return forms


def _triage_form(action: str, report, data):
    institutions = institutions_assignable(country=report.country_id)
    if action == workflows.LEAD:
        return LeadForm(data, institutions=institutions, prefix=action)
    if action == workflows.CASE:
        initial = {"kind": "SOM" if report.situation == "smuggling" else "TIP"}
        return CaseForm(data, institutions=institutions, prefix=action, initial=initial)
    if action == workflows.ROUTE:
        initial = {"to_country": report.place_country_id}
        return RouteForm(data, current=report.country_id, prefix=action, initial=initial)
    return CloseForm(data, prefix=action)


@login_required
def report_detail(request, pk: int, bound=None, status: int = 200):
    report = report_visible(user=request.user, pk=pk, request=request)
    personal = report_read_audit(actor=request.user, report=report, via="web", request=request)
    context = {
        "report": report,
        "personal": personal,
        "identifiers": report_identifiers(report) if personal else [],
        "history": report_history(report),
        "can_triage": workflows.may_triage(request.user, report),
        "forms": [
            (action, workflows.ACTION_LABELS[action], form)
            for action, form in _triage_forms(request, report, bound).items()
        ],
    }
    return render(request, "helpline/report_detail.html", context, status=status)


@login_required
@require_POST
def report_triage(request, pk: int, action: str):
    if action not in workflows.ACTIONS:
        raise Http404
    report = report_visible(user=request.user, pk=pk, request=request)
    # Permission first: a user who may read but not triage gets 403, audited, not a form error.
    triage.report_triage_check(actor=request.user, report=report, request=request)
    form = _triage_form(action, report, request.POST)
    status = 422
    if form.is_valid():
        try:
            moved = triage.report_triage(
                actor=request.user,
                report=report,
                action=action,
                data=form.cleaned_data,
                request=request,
            )
        except InvalidTransition as error:
            # Someone else triaged it first: the page shows its new state, with the message.
            messages.error(request, str(error.message))
            status = error.status
        except InvalidInput as error:
            field = triage.INPUT_FIELD.get(error.code)
            form.add_error(field if field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The report was triaged."))
            if moved is not None:
                return redirect("helpline:inbox")
            return redirect("helpline:detail", pk=report.pk)
    return report_detail(request, pk, bound=(action, form), status=status)

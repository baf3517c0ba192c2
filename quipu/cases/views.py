from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.forms import CaseFilterForm, filter_countries
from quipu.cases.models import Case
from quipu.cases.presenters import case_detail_for, case_rows
from quipu.cases.search_terms import search_term_get, search_term_store
from quipu.cases.selectors import cases_filtered, user_reads_personal
from quipu.cases.services import case_search_audit, case_writable, institutions_writable_by
from quipu.tenancy.permissions import get_visible_or_404, require
from quipu.tenancy.roles import Capability
from quipu.web.navigation import case_actions_for

PAGE_SIZE = 25


@login_required
def case_list(request):
    require(request.user, Capability.READ_DEIDENTIFIED, request=request)
    if request.method == "POST":
        return redirect(_list_url(request))
    if "q" in request.GET:
        # Words in an address reach server logs and history: they are never searched (rule 4).
        messages.info(
            request, _("Type the search words in the form; they never go in the address.")
        )
        return redirect(_without_words_url(request))
    data = request.GET.copy()
    if key := data.get("search"):
        data["q"] = search_term_get(request.session, key)
    form = CaseFilterForm(data or None, countries=filter_countries())
    filters = form.cleaned_data if form.is_valid() else {}
    cases = cases_filtered(user=request.user, filters=filters).order_by("-id")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    case_search_audit(
        actor=request.user,
        text=filters.get("q") or "",
        found=page.paginator.count,
        via="web",
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": case_rows(page.object_list),
        "query": query.urlencode(),
        # "New case" and "Import a file" show when the permission layer lets the user write
        # cases for some institution, the same question the new-case form asks.
        "can_write": institutions_writable_by(user=request.user).exists(),
    }
    return render(request, "cases/list.html", context)


def _list_url(request) -> str:
    """The list's GET address for the posted filters, with the search words swapped for a key."""
    query = QueryDict(mutable=True)
    for name, value in request.POST.items():
        if value and name not in ("csrfmiddlewaretoken", "q", "search"):
            query[name] = value
    if text := request.POST.get("q", "").strip():
        query["search"] = search_term_store(request.session, text)
    return f"{reverse('cases:list')}?{query.urlencode()}" if query else reverse("cases:list")


def _without_words_url(request) -> str:
    """The list's address for the same GET filters, less any search words."""
    query = request.GET.copy()
    for name in ("q", "page"):
        query.pop(name, None)
    return f"{reverse('cases:list')}?{query.urlencode()}" if query else reverse("cases:list")


@login_required
def case_detail(request, pk: int):
    case = get_visible_or_404(
        request.user,
        Case.objects.select_related("owner"),
        Capability.READ_DEIDENTIFIED,
        request=request,
        pk=pk,
    )
    personal = user_reads_personal(user=request.user, case=case)
    if personal:
        audit_record(
            actor=request.user,
            action=Action.READ,
            obj=case,
            request=request,
            detail={"personal": True},
        )
    context = case_detail_for(case, personal=personal)
    context["writable"] = case_writable(user=request.user, case=case)
    context["actions"] = case_actions_for(request.user, case.pk)
    return render(request, "cases/detail.html", context)

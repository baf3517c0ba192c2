from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quipu.cooperation.requests.forms import (
    AnswerForm,
    CommentForm,
    RequestFilterForm,
    RequestOpenForm,
)
from quipu.cooperation.requests.grants import grant_records_read
from quipu.cooperation.requests.models import Category, Grant, State
from quipu.cooperation.requests.presenters import field_labels, grant_records_shown
from quipu.cooperation.requests.selectors import (
    answerable_cases,
    linked_notices_for,
    notice_owner_cases,
    own_cases_for,
    receipts_of,
    request_sides,
    request_visible,
    requests_filtered,
)
from quipu.cooperation.requests.services import (
    information_request_open,
    information_request_receive,
    information_request_transition,
)
from quipu.cooperation.requests.workflows import RECEIVING, REQUESTER, TRANSITIONS, transitions_for
from quipu.errors import DomainError, NotAllowed
from quipu.tenancy.permissions import principal_for, require
from quipu.tenancy.roles import Capability

PAGE_SIZE = 25


@login_required
def request_inbox(request):
    require(request.user, Capability.OPEN_REQUESTS, request=request)
    answers = principal_for(request.user).can(Capability.ANSWER_REQUESTS)
    box = request.GET.get("box") or ("in" if answers else "out")
    box = box if box in ("in", "out") else "out"
    form = RequestFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    rows = requests_filtered(user=request.user, box=box, state=state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "box": box,
        "tabs": [("in", _("Received")), ("out", _("Sent"))] if answers else [("out", _("Sent"))],
        "form": form,
        "page": page,
        "rows": page.object_list,
        "query": f"box={box}&state={state}",
    }
    return render(request, "requests/inbox.html", context)


@login_required
def request_new(request):
    principal = require(request.user, Capability.OPEN_REQUESTS, request=request)
    notices = linked_notices_for(user=request.user)
    cases = own_cases_for(user=request.user)
    initial = {}
    if request.GET.get("notice", "").isdigit():
        initial["notice"] = request.GET["notice"]
    if request.GET.get("case", "").isdigit():
        own = cases.filter(pk=request.GET["case"]).first()
        initial["case"] = own.reference if own else ""
    form = RequestOpenForm(
        request.POST or None,
        initial=initial,
        user_country=principal.country_id,
        notices=notices,
        cases=cases,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        country = data["receiving_country"]
        try:
            opened = information_request_open(
                actor=request.user,
                receiving_country=country.code if country else "",
                notice=data["notice"],
                case=data["case"],
                legal_basis=data["legal_basis"],
                legal_basis_details=data["legal_basis_details"],
                purpose=data["purpose"],
                categories=data["categories"],
                urgency=data["urgency"],
                due_on=data["due_on"],
                request=request,
            )
        except NotAllowed:
            raise
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The request was sent."))
            return redirect("requests:detail", pk=opened.pk)
    return render(request, "requests/new.html", {"form": form})


@login_required
def request_detail(request, pk: int):
    found = request_visible(user=request.user, pk=pk, request=request)
    information_request_receive(actor=request.user, information_request=found, request=request)
    sides = request_sides(user=request.user, information_request=found)
    return render(request, "requests/detail.html", _detail_context(request, found, sides))


def _detail_context(request, found, sides, answer_form=None) -> dict:
    transitions = transitions_for(found.state, sides)
    receiving = RECEIVING in sides and found.state == State.SENT
    if receiving and answer_form is None:
        prefill = notice_owner_cases(found.notice, found.receiving_country_id)
        answer_form = AnswerForm(
            initial={"records": "\n".join(case.reference for case in prefill)},
            requested=found.categories,
        )
    grant = Grant.objects.filter(information_request=found).first()
    labels = dict(Category.choices)
    return {
        "item": found,
        "is_requester": REQUESTER in sides,
        "categories": [labels.get(code, code) for code in found.categories],
        "events": _history(found),
        "answer_transitions": [
            t for t in transitions if t.side == RECEIVING and t.action != "revoke"
        ],
        "requester_transitions": [t for t in transitions if t.side == REQUESTER],
        "revoke": TRANSITIONS["revoke"] if TRANSITIONS["revoke"] in transitions else None,
        "answer_form": answer_form if receiving else None,
        "comment_form": CommentForm(),
        "grant": grant,
        "grant_categories": [labels.get(c, c) for c in grant.categories] if grant else [],
        "grant_cases": list(grant.cases.all()) if grant and RECEIVING in sides else [],
        "receipts": receipts_of(user=request.user, information_request=found),
    }


def _history(found) -> list[dict]:
    states = dict(State.choices)
    return [
        {
            "event": event,
            "from": states.get(event.from_state, ""),
            "to": states.get(event.to_state, event.to_state),
        }
        for event in found.events.select_related("actor")
    ]


@login_required
@require_POST
def request_act(request, pk: int, action: str):
    found = request_visible(user=request.user, pk=pk, request=request)
    transition = TRANSITIONS.get(action)
    sides = request_sides(user=request.user, information_request=found)
    fields: dict = {}
    if transition is not None and transition.side == RECEIVING and action != "revoke":
        form = AnswerForm(
            request.POST,
            requested=found.categories,
            cases=answerable_cases(user=request.user, information_request=found),
        )
        if not form.is_valid():
            messages.error(request, _("The form has errors; nothing was changed."))
            context = _detail_context(request, found, sides, answer_form=form)
            return render(request, "requests/detail.html", context, status=422)
        data = form.cleaned_data
        fields = {"comment": data["comment"], "categories": data["categories"]}
        fields.update(cases=data["records"], expires_on=data["expires_on"])
    else:
        form = CommentForm(request.POST)
        fields = {"comment": form.cleaned_data["comment"]} if form.is_valid() else {}
    try:
        information_request_transition(
            actor=request.user, information_request=found, action=action, request=request, **fields
        )
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The request was updated."))
    return redirect("requests:detail", pk=found.pk)


@login_required
def request_grant(request, pk: int):
    found = request_visible(user=request.user, pk=pk, request=request)
    grant, records = grant_records_read(
        actor=request.user, information_request=found, via="web", request=request
    )
    labels = dict(Category.choices)
    context = {
        "item": found,
        "grant": grant,
        "records": grant_records_shown(records),
        "granted": set(grant.categories),
        "category_rows": [(labels[c], field_labels(c)) for c in grant.categories],
    }
    return render(request, "requests/grant.html", context)

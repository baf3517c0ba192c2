from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quipu.cases.vocabulary import label
from quipu.cooperation.referrals.disclosure import referral_disclosure
from quipu.cooperation.referrals.forms import (
    ForeignVictimForm,
    ReferralFilterForm,
    ReferralOpenForm,
    StepForm,
    StepUpdateForm,
    TransitionForm,
    WithdrawalForm,
)
from quipu.cooperation.referrals.models import Assistance, ReferralStep, State
from quipu.cooperation.referrals.selectors import (
    referral_counts,
    referral_sides,
    referral_visible,
    referrals_filtered,
    victims_referable_by,
)
from quipu.cooperation.referrals.services import (
    foreign_victim_refer,
    referral_open,
    referral_read_audit,
    referral_transition,
    side_for_reading,
)
from quipu.cooperation.referrals.steps import referral_step_add, referral_step_update
from quipu.cooperation.referrals.workflows import (
    HOME,
    REFERRING,
    STEP_STATES,
    TRANSITIONS,
    transitions_from,
)
from quipu.errors import DomainError, NotAllowed
from quipu.tenancy.permissions import denial_record, principal_for, require
from quipu.tenancy.roles import Capability, Scope

PAGE_SIZE = 25
REFERRAL_FIELDS = (
    "assistance",
    "assistance_details",
    "urgency",
    "contact_name",
    "contact_email",
    "contact_phone",
)


def _list(request, *, box: str, capability: Capability, template_title: str):
    require(request.user, capability, request=request)
    form = ReferralFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    referrals = referrals_filtered(user=request.user, box=box, state=state)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "box": box,
        "title": template_title,
        "form": form,
        "page": page,
        "rows": [_row(referral) for referral in page.object_list],
        "query": f"state={state}",
        "can_open": principal_for(request.user).can(Capability.OPEN_REFERRALS),
        "can_register": principal_for(request.user).can(Capability.REGISTER_FOREIGN_VICTIMS),
    }
    return render(request, "referrals/list.html", context)


def _row(referral) -> dict:
    labels = dict(Assistance.choices)
    return {
        "referral": referral,
        "assistance": [labels.get(code, code) for code in referral.assistance],
    }


@login_required
def referral_list(request):
    return _list(
        request, box="out", capability=Capability.OPEN_REFERRALS, template_title=_("Referrals sent")
    )


@login_required
def referral_incoming(request):
    return _list(
        request,
        box="in",
        capability=Capability.ANSWER_REFERRALS,
        template_title=_("Referrals received"),
    )


@login_required
def referral_new(request):
    require(request.user, Capability.OPEN_REFERRALS, request=request)
    # ?victim=<id> preselects a victim (a link from the case page carries the id only).
    initial = (
        {"victim": request.GET.get("victim", "")} if request.GET.get("victim", "").isdigit() else {}
    )
    form = ReferralOpenForm(
        request.POST or None, initial=initial, victims=victims_referable_by(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referral_open(
                actor=request.user,
                victim=data["victim"],
                request=request,
                **{name: data[name] for name in REFERRAL_FIELDS},
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The referral was sent to the home country."))
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/form.html", {"form": form, "register": False})


@login_required
def referral_register(request):
    require(request.user, Capability.REGISTER_FOREIGN_VICTIMS, request=request)
    form = ForeignVictimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = {
            "first_name": data["first_name"],
            "second_name": data["second_name"],
            "birthdate": data["birthdate"],
            "gender": data["gender"],
            "citizenship_id": data["citizenship"].code,
        }
        try:
            referral = foreign_victim_refer(
                actor=request.user,
                person=person,
                consent=data["consent"],
                share_with_home_country=data["share_with_home_country"],
                referral={name: data[name] for name in REFERRAL_FIELDS},
                request=request,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The victim was registered and referred."))
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/form.html", {"form": form, "register": True})


@login_required
def referral_detail(request, pk: int):
    referral = referral_visible(user=request.user, pk=pk, request=request)
    sides = referral_sides(user=request.user, referral=referral)
    disclosure = referral_disclosure(referral, side=side_for_reading(sides))
    referral_read_audit(
        actor=request.user, referral=referral, disclosure=disclosure, via="web", request=request
    )
    labels = dict(Assistance.choices)
    context = {
        "referral": referral,
        "disclosure": disclosure,
        "identity": disclosure.identity,
        "gender": label("gender", disclosure.identity.get("gender", "")),
        "is_home": HOME in sides,
        "assistance": [labels.get(code, code) for code in referral.assistance],
        "events": _history(referral),
        "steps": [
            (
                step,
                StepUpdateForm(
                    prefix=f"s{step.pk}", initial={"status": step.status, "due_on": step.due_on}
                ),
            )
            for step in referral.steps.all()
        ],
        "transitions": transitions_from(referral.state, {HOME} & sides),
        "withdrawal_form": (
            WithdrawalForm() if transitions_from(referral.state, {REFERRING} & sides) else None
        ),
        "transition_form": _transition_form(transitions_from(referral.state, sides)),
        "step_form": StepForm() if referral.state in STEP_STATES else None,
    }
    return render(request, "referrals/detail.html", context)


def _transition_form(transitions) -> TransitionForm:
    """The answer form, with the outcome only where closing is one of the choices."""
    form = TransitionForm()
    if not any(t.needs_outcome for t in transitions):
        del form.fields["outcome"]
    return form


def _history(referral) -> list[dict]:
    states = dict(State.choices)
    return [
        {
            "event": event,
            "from": states.get(event.from_state, ""),
            "to": states.get(event.to_state, event.to_state),
        }
        for event in referral.events.select_related("actor")
    ]


@login_required
@require_POST
def referral_act(request, pk: int, action: str):
    referral = referral_visible(user=request.user, pk=pk, request=request)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form has errors; nothing was changed."))
        return redirect("referrals:detail", pk=referral.pk)
    try:
        referral_transition(
            actor=request.user,
            referral=referral,
            action=action,
            request=request,
            **form.cleaned_data,
        )
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(TRANSITIONS[action].done))
    return redirect("referrals:detail", pk=referral.pk)


@login_required
@require_POST
def referral_step_new(request, pk: int):
    referral = referral_visible(user=request.user, pk=pk, request=request)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the step and give a valid due date."))
    else:
        try:
            referral_step_add(
                actor=request.user, referral=referral, request=request, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The step was added."))
    return redirect("referrals:detail", pk=referral.pk)


@login_required
@require_POST
def referral_step_change(request, pk: int):
    step = get_object_or_404(ReferralStep.objects.select_related("referral"), pk=pk)
    referral_visible(user=request.user, pk=step.referral_id, request=request)
    form = StepUpdateForm(request.POST, prefix=f"s{step.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose the status and give a valid due date."))
    else:
        try:
            referral_step_update(
                actor=request.user, step=step, request=request, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The step was updated."))
    return redirect("referrals:detail", pk=step.referral_id)


@login_required
def referral_figures(request):
    """The secretariat's view: counts and ages of open referrals, never a record."""
    if principal_for(request.user).scope(Capability.READ_AGGREGATES) is not Scope.REGION:
        denial_record(request.user, capability=Capability.READ_AGGREGATES, request=request)
        raise NotAllowed()
    counts = referral_counts()
    tables = [
        (_("By country of citizenship"), counts["by_home_country"]),
        (_("By country where the victim was found"), counts["by_referring_country"]),
        (_("By state"), counts["by_state"]),
    ]
    return render(request, "referrals/figures.html", {"counts": counts, "tables": tables})

"""The multi-step case form: each step saves through a service, so nothing is lost between steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quipu.cases import services
from quipu.cases.entry_forms import (
    CaseStepForm,
    ConsentStepForm,
    IdentifierFormSet,
    PerpetratorFormSet,
    PersonStepForm,
    RouteFormSet,
    VictimStepForm,
    identifiers_cleaned,
    identifiers_initial,
    perpetrators_initial,
)
from quipu.cases.models import Case, Perpetrator
from quipu.tenancy.permissions import get_visible_or_404, require
from quipu.tenancy.roles import Capability

STEPS = [
    ("case", gettext_lazy("Case")),
    ("person", gettext_lazy("Victim")),
    ("context", gettext_lazy("Exploitation")),
    ("route", gettext_lazy("Route")),
    ("identifiers", gettext_lazy("Identifiers")),
    ("perpetrators", capfirst(Perpetrator._meta.verbose_name_plural)),
    ("consent", gettext_lazy("Consent")),
]
STEP_NAMES = [name for name, _ in STEPS]


def _render(request, case, step, form, formset=None):
    context = {"case": case, "step": step, "steps": STEPS, "form": form, "formset": formset}
    return render(request, "cases/entry.html", context)


def _next(case: Case, step: str):
    index = STEP_NAMES.index(step)
    if index + 1 < len(STEP_NAMES):
        return redirect("cases:edit", pk=case.pk, step=STEP_NAMES[index + 1])
    return redirect("cases:detail", pk=case.pk)


@login_required
def case_new(request):
    require(request.user, Capability.WRITE_CASES, request=request)
    institutions = services.institutions_writable_by(user=request.user)
    form = CaseStepForm(request.POST or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        case = services.case_create(
            actor=request.user, owner=form.cleaned_data["owner"], fields=fields, request=request
        )
        messages.success(request, _("Case %(reference)s created.") % {"reference": case.reference})
        return _next(case, "case")
    return _render(request, None, "case", form)


@login_required
def case_edit(request, pk: int, step: str):
    case = get_visible_or_404(
        request.user,
        Case.objects.select_related("owner"),
        Capability.WRITE_CASES,
        request=request,
        pk=pk,
    )
    if step not in STEP_NAMES:
        step = "case"
    handler = {
        "case": _case_step,
        "person": _person_step,
        "context": _context_step,
        "route": _route_step,
        "identifiers": _identifiers_step,
        "perpetrators": _perpetrators_step,
        "consent": _consent_step,
    }[step]
    return handler(request, case)


def _case_step(request, case):
    institutions = services.institutions_writable_by(user=request.user)
    form = CaseStepForm(request.POST or None, instance=case, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        services.case_update(
            actor=request.user, case=case, fields=form.cleaned_data, request=request
        )
        return _next(case, "case")
    return _render(request, case, "case", form)


def _needs_victim(request, case):
    victim = services.victim_of(case)
    if victim is None:
        messages.info(request, _("First record the victim."))
    return victim


def _person_step(request, case):
    victim = services.victim_of(case)
    form = PersonStepForm(request.POST or None, instance=victim.person if victim else None)
    if request.method == "POST" and form.is_valid():
        services.victim_person_save(
            actor=request.user, case=case, fields=form.cleaned_data, request=request
        )
        return _next(case, "person")
    return _render(request, case, "person", form)


def _context_step(request, case):
    victim = _needs_victim(request, case)
    if victim is None:
        return redirect("cases:edit", pk=case.pk, step="person")
    form = VictimStepForm(request.POST or None, instance=victim)
    if request.method == "POST" and form.is_valid():
        services.victim_context_save(
            actor=request.user, victim=victim, fields=form.cleaned_data, request=request
        )
        return _next(case, "context")
    return _render(request, case, "context", form)


def _route_step(request, case):
    victim = _needs_victim(request, case)
    if victim is None:
        return redirect("cases:edit", pk=case.pk, step="person")
    initial = [
        {"event_type": e.event_type, "country": e.country_id, "city": e.city, "date": e.date}
        for e in victim.route_events.all()
    ]
    formset = RouteFormSet(request.POST or None, initial=initial, prefix="route")
    if request.method == "POST" and formset.is_valid():
        events = [
            {
                "event_type": f.cleaned_data["event_type"],
                "country": f.cleaned_data.get("country"),
                "city": f.cleaned_data.get("city", ""),
                "date": f.cleaned_data.get("date"),
            }
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        services.route_events_replace(
            actor=request.user, victim=victim, events=events, request=request
        )
        return _next(case, "route")
    return _render(request, case, "route", None, formset)


def _identifiers_step(request, case):
    victim = _needs_victim(request, case)
    if victim is None:
        return redirect("cases:edit", pk=case.pk, step="person")
    region = victim.person.citizenship_id or case.owner.country_id
    formset = IdentifierFormSet(
        request.POST or None,
        initial=identifiers_initial(victim.person),
        prefix="ids",
        form_kwargs={"region": region},
    )
    if request.method == "POST" and formset.is_valid():
        services.identifiers_replace(
            actor=request.user,
            victim=victim,
            identifiers=identifiers_cleaned(formset),
            request=request,
        )
        return _next(case, "identifiers")
    return _render(request, case, "identifiers", None, formset)


def _perpetrators_step(request, case):
    formset = PerpetratorFormSet(
        request.POST or None,
        initial=perpetrators_initial(services.perpetrators_of(case)),
        prefix="per",
        form_kwargs={"region": case.owner.country_id},
    )
    if request.method == "POST" and formset.is_valid():
        services.perpetrators_replace(
            actor=request.user, case=case, perpetrators=formset.perpetrators(), request=request
        )
        return _next(case, "perpetrators")
    return _render(request, case, "perpetrators", None, formset)


def _consent_step(request, case):
    victim = _needs_victim(request, case)
    if victim is None:
        return redirect("cases:edit", pk=case.pk, step="person")
    consent = getattr(victim, "consent", None)
    initial = (
        {
            "consent": consent.consent,
            "share_with_home_country": consent.share_with_home_country,
            "given_on": consent.given_on,
        }
        if consent
        else {}
    )
    form = ConsentStepForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.consent_save(
            actor=request.user, victim=victim, fields=form.cleaned_data, request=request
        )
        messages.success(request, _("Case %(reference)s saved.") % {"reference": case.reference})
        return redirect(reverse("cases:detail", args=[case.pk]))
    return _render(request, case, "consent", form)

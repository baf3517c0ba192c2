from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import DomainError
from quipu.linkage.forms import LinkageSettingsForm, NoticeDecisionForm
from quipu.linkage.models import LinkageSettings, Role
from quipu.linkage.presenters import evidence_line, own_records, revealed
from quipu.linkage.review import linkage_settings_update, match_notice_decide
from quipu.linkage.runs import link_run_request
from quipu.linkage.selectors import (
    TABS,
    group_sides,
    link_runs_recent,
    notice_side_visible,
    notice_sides_for,
    notice_tab_counts,
    other_sides,
    probe_alerts_for,
)
from quipu.tenancy.permissions import require
from quipu.tenancy.roles import Capability

PAGE_SIZE = 25
ALERTS_SHOWN = 20  # the latest probe alerts; older ones are in the audit log


@login_required
def notice_list(request):
    require(request.user, Capability.REVIEW_MATCHES, request=request)
    tab = request.GET.get("tab", "todo")
    role = request.GET.get("role", "")
    if tab not in TABS or role not in ("", *Role.values):
        raise Http404
    sides = notice_sides_for(user=request.user, tab=tab, role=role)
    page = Paginator(sides, PAGE_SIZE).get_page(request.GET.get("page"))
    sides = list(page.object_list)
    counts = notice_tab_counts(user=request.user, role=role)
    context = {
        "tab": tab,
        "tabs": [(key, label, counts[key]) for key, label in _tab_labels().items()],
        "page": page,
        "rows": _rows(sides),
        "role": role,
        "roles": [("", _("Everyone")), *Role.choices],
        "query": f"tab={tab}&role={role}",
        "alerts": probe_alerts_for(user=request.user)[:ALERTS_SHOWN],
    }
    return render(request, "linkage/notice_list.html", context)


@login_required
def notice_detail(request, pk: int):
    side = notice_side_visible(user=request.user, pk=pk, request=request)
    form = NoticeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            match_notice_decide(actor=request.user, side=side, request=request, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your decision was recorded."))
            return redirect("linkage:notice", pk=side.pk)
    elif request.method == "GET":
        audit_record(actor=request.user, action=Action.READ, obj=side, request=request)
    side.refresh_from_db()
    group = list(group_sides(user=request.user, side=side))
    context = {
        "row": _rows([side])[0],
        "side": side,
        "form": form,
        "revealed": revealed(side),
        "group": _rows(group),
        "decidable": side.notice.status == "pending" and not side.decision,
    }
    return render(request, "linkage/notice_detail.html", context)


@login_required
def linkage_settings(request):
    require(request.user, Capability.MANAGE_REGION, request=request)
    current = LinkageSettings.current()
    form = LinkageSettingsForm(
        request.POST or None,
        initial={name: getattr(current, name) for name in LinkageSettingsForm.base_fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            linkage_settings_update(actor=request.user, request=request, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The linkage settings were saved."))
            return redirect("linkage:settings")
    context = {
        "form": form,
        "current": current,
        "runs": link_runs_recent(),
        "alerts": probe_alerts_for(user=request.user)[:ALERTS_SHOWN],
    }
    template = "linkage/runs.html" if request.htmx else "linkage/settings.html"
    return render(request, template, context)


@login_required
@require_POST
def link_run_start(request):
    link_run_request(actor=request.user, request=request)
    messages.success(request, _("A full matching run was queued; it runs in the background."))
    return redirect("linkage:settings")


def _tab_labels() -> dict[str, str]:
    return {
        "todo": _("To review"),
        "waiting": _("Waiting for the other country"),
        "linked": _("Cross-border links"),
        "rejected": _("Rejected"),
        "withdrawn": _("Withdrawn"),
    }


def _rows(sides) -> list[dict]:
    """What a focal point may see of each notice: own record, other owner, strength."""
    sides = list(sides)
    own, others = own_records(sides), other_sides(sides)
    return [
        {
            "side": side,
            "notice": side.notice,
            "own": own[side.pk],
            "other": others.get(side.pk),
            # The band, never the matcher's score (docs/threat-model-notices.md).
            "evidence": evidence_line(side.notice),
        }
        for side in sides
    ]

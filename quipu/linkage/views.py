from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import DomainError
from quipu.linkage.forms import (
    GroupDecisionForm,
    LinkageSettingsForm,
    NoticeDecisionForm,
    QueueForm,
)
from quipu.linkage.models import LinkageSettings
from quipu.linkage.presenters import band_short, evidence_line, own_records, revealed
from quipu.linkage.queue import groups_detail, queue_groups, queue_tab_counts
from quipu.linkage.review import (
    group_fingerprint,
    linkage_settings_update,
    match_notice_decide,
    match_notice_group_decide,
)
from quipu.linkage.runs import link_run_request
from quipu.linkage.selectors import (
    group_countries,
    group_members,
    group_open,
    group_sides,
    link_runs_recent,
    notice_side_visible,
    other_sides,
    probe_alerts_for,
)
from quipu.tenancy.models import Country
from quipu.tenancy.permissions import principal_for, require
from quipu.tenancy.roles import Capability

PAGE_SIZE = 25
GROUP_SHOWN = 20  # the group's other notices listed on a notice page
ALERTS_SHOWN = 20  # the latest probe alerts; older ones are in the audit log


@login_required
def notice_list(request):
    """The queue: the user's notices gathered into groups, filtered and sorted by GET
    parameters that carry codes only."""
    require(request.user, Capability.REVIEW_MATCHES, request=request)
    form = QueueForm(request.GET, countries=_other_countries(request.user))
    try:
        filters = form.filters() if form.is_valid() else None
    except ValueError:
        filters = None
    if filters is None:
        raise Http404
    page = Paginator(queue_groups(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    groups = groups_detail(user=request.user, filters=filters, rows=list(page.object_list))
    rows = _rows([side for group in groups for side in group.members])
    by_side = {row["side"].pk: row for row in rows}
    counts = queue_tab_counts(user=request.user, filters=filters)
    query = {name: value for name, value in filters.__dict__.items() if value}
    without_tab = urlencode({k: v for k, v in query.items() if k != "tab"})
    context = {
        "form": form,
        "filters": filters,
        "tabs": [(key, label, counts[key]) for key, label in _tab_labels().items()],
        "without_tab": without_tab,
        "page": page,
        "groups": [
            (group, [by_side[side.pk] for side in group.members], band_short(group.band))
            for group in groups
        ],
        "query": urlencode(query),
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
    others = group_sides(user=request.user, side=side)
    context = {
        "row": _rows([side])[0],
        "side": side,
        "form": form,
        "revealed": revealed(side),
        # The first of the group's other notices; the group page lists and decides them all.
        "group": _rows(others[:GROUP_SHOWN]),
        "group_size": others.count(),
        "group_open": group_open(user=request.user, side=side).count(),
        "decidable": side.notice.status == "pending" and not side.decision,
    }
    return render(request, "linkage/notice_detail.html", context)


@login_required
def notice_group(request, pk: int):
    """A group of notices: one decision for all its open ones first, then its notices."""
    side = notice_side_visible(user=request.user, pk=pk, request=request)
    shown = group_fingerprint(group_open(user=request.user, side=side).values_list("pk", flat=True))
    form = GroupDecisionForm(request.POST or None, initial={"shown": shown})
    if request.method == "POST" and form.is_valid():
        try:
            result = match_notice_group_decide(
                actor=request.user,
                side=side,
                request=request,
                fingerprint=form.cleaned_data.pop("shown"),
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
            form.data = form.data.copy()
            form.data["shown"] = shown  # what the page now shows, to decide again
        else:
            messages.success(request, _group_done(result))
            return redirect("linkage:group", pk=side.pk)
    elif request.method == "GET":
        audit_record(
            actor=request.user,
            action=Action.READ,
            obj=side,
            object_type="linkage.matchnoticegroup",
            request=request,
        )
    members = group_members(user=request.user, side=side)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    open_count = group_open(user=request.user, side=side).count()
    context = {
        "side": side,
        "form": form,
        "page": page,
        "rows": _rows(page.object_list),
        "countries": group_countries(user=request.user, side=side),
        "open_count": open_count,
        "query": "",
    }
    return render(request, "linkage/notice_group.html", context)


def _group_done(result) -> str:
    done = ngettext(
        "%(count)s notice of the group was decided.",
        "%(count)s notices of the group were decided.",
        len(result.decided),
    ) % {"count": len(result.decided)}
    if result.left_alone:
        done += " " + ngettext(
            "%(count)s was decided by someone else meanwhile and left as it was.",
            "%(count)s were decided by someone else meanwhile and left as they were.",
            result.left_alone,
        ) % {"count": result.left_alone}
    return done


def _other_countries(user) -> list[tuple[str, str]]:
    """Member states other than the user's own, by name in the user's language."""
    own = principal_for(user).country_id
    countries = Country.objects.filter(is_member=True).exclude(code=own or "")
    return sorted(((c.code, c.name) for c in countries), key=lambda choice: choice[1])


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

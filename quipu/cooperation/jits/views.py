"""Pages of JITs: thin; selectors read, services change, the permission layer decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cooperation.jits import selectors
from quipu.cooperation.jits.attachments import attachment_add, attachment_open
from quipu.cooperation.jits.forms import (
    AttachmentForm,
    CaseLinkForm,
    InviteForm,
    JitOpenForm,
    NoteForm,
    TaskForm,
)
from quipu.cooperation.jits.models import Attachment, MemberState, State, Task
from quipu.cooperation.jits.services import (
    jit_close,
    jit_invite,
    jit_open,
    member_remove,
    members_removable,
    membership_answer,
    membership_leave,
    purpose_of,
)
from quipu.cooperation.jits.workflows import ACTION_LABELS, WRITABLE_STATES
from quipu.cooperation.jits.workspace import case_link_add, note_add, task_add, task_complete
from quipu.errors import DomainError, NotAllowed
from quipu.tenancy.permissions import principal_for, require
from quipu.tenancy.roles import Capability

PAGE_SIZE = 25


@login_required
def jit_list(request):
    require(request.user, Capability.WORK_IN_JIT, request=request)
    jits = selectors.jits_visible_to(user=request.user)
    page = Paginator(jits, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "invitations": selectors.invitations_for(user=request.user),
        "can_open": principal_for(request.user).can(Capability.OPEN_JIT),
        "query": "",
    }
    return render(request, "jits/list.html", context)


@login_required
def jit_new(request):
    principal = require(request.user, Capability.OPEN_JIT, request=request)
    form = JitOpenForm(request.POST or None, own_country=principal.country_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            jit = jit_open(
                actor=request.user,
                name=data["name"],
                lead_country=data["lead_country"].code,
                legal_basis=data["legal_basis"],
                legal_basis_details=data["legal_basis_details"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                invite=list(data["invite"]),
                request=request,
            )
        except NotAllowed:
            raise
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The JIT was opened and the invitations sent."))
            return redirect("jits:detail", pk=jit.pk)
    return render(request, "jits/form.html", {"form": form})


@login_required
def jit_detail(request, pk: int):
    jit = selectors.jit_visible(user=request.user, pk=pk, request=request)
    audit_record(
        actor=request.user,
        action=Action.READ,
        obj=jit,
        purpose=purpose_of(jit),
        detail={"jit": jit.pk, "via": "web"},
        request=request,
    )
    principal = principal_for(request.user)
    writable = jit.state in WRITABLE_STATES
    states = dict(State.choices) | dict(MemberState.choices)
    context = {
        "jit": jit,
        "members": selectors.members_of(jit=jit),
        "cards": selectors.case_cards(jit=jit),
        "notes": jit.notes.select_related("author", "institution"),
        "tasks": jit.tasks.select_related("owner__membership__institution"),
        "attachments": jit.attachments.select_related("institution"),
        "events": [
            (event, ACTION_LABELS.get(event.action, event.action), states.get(event.to_state, ""))
            for event in jit.events.select_related("actor", "institution")
        ],
        "writable": writable,
        "is_lead": principal.country_id == jit.lead_country_id,
        "own_country": principal.country_id,
        "can_invite": writable and principal.can(Capability.OPEN_JIT),
        "removable": members_removable(principal=principal, jit=jit) if writable else set(),
    }
    if writable:
        members = selectors.member_users(jit=jit).select_related("membership__institution")
        context |= {
            "note_form": NoteForm(),
            "task_form": TaskForm(owners=members),
            "link_form": CaseLinkForm(cases=selectors.cases_linkable_by(user=request.user)),
            "attachment_form": AttachmentForm(),
            "invite_form": InviteForm(institutions=selectors.institutions_invitable(jit=jit)),
        }
    return render(request, "jits/detail.html", context)


def _do(request, pk: int, change, success: str):
    """Run `change()`, report the outcome as a message and go back to the workspace."""
    try:
        change()
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, success)
    return redirect("jits:detail", pk=pk)


def _invalid(request, pk: int, form):
    errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
    messages.error(request, _("The form has errors; nothing was changed.") + " " + errors)
    return redirect("jits:detail", pk=pk)


@login_required
@require_POST
def jit_answer(request, pk: int, action: str):
    member = selectors.invitations_for(user=request.user).filter(jit_id=pk).first()
    if member is None:
        raise Http404
    try:
        membership_answer(actor=request.user, jit=member.jit, action=action, request=request)
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("jits:list")
    if action == "accept":
        messages.success(request, _("Your institution joined the JIT."))
        return redirect("jits:detail", pk=pk)
    messages.success(request, _("The invitation was declined."))
    return redirect("jits:list")


@login_required
@require_POST
def jit_invite_view(request, pk: int):
    jit = selectors.jit_visible(user=request.user, pk=pk, request=request)
    form = InviteForm(request.POST, institutions=selectors.institutions_invitable(jit=jit))
    if not form.is_valid():
        return _invalid(request, pk, form)
    institution = form.cleaned_data["institution"]
    return _do(
        request,
        pk,
        lambda: jit_invite(actor=request.user, jit=jit, institution=institution, request=request),
        _("The invitation was sent."),
    )


@login_required
@require_POST
def member_remove_view(request, pk: int, institution: int):
    jit = selectors.jit_visible(user=request.user, pk=pk, request=request)
    member = get_object_or_404(selectors.members_of(jit=jit), institution_id=institution)
    return _do(
        request,
        pk,
        lambda: member_remove(
            actor=request.user, jit=jit, institution=member.institution, request=request
        ),
        _("The institution was removed from the JIT."),
    )


@login_required
@require_POST
def jit_leave(request, pk: int):
    jit = selectors.jit_visible(user=request.user, pk=pk, request=request)
    try:
        membership_leave(actor=request.user, jit=jit, request=request)
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("jits:detail", pk=pk)
    messages.success(request, _("Your institution left the JIT."))
    return redirect("jits:list")


@login_required
@require_POST
def jit_close_view(request, pk: int):
    jit = selectors.jit_visible(user=request.user, pk=pk, request=request)
    return _do(
        request,
        pk,
        lambda: jit_close(actor=request.user, jit=jit, request=request),
        _("The JIT was closed; its workspace is now read-only."),
    )


@login_required
@require_POST
def note_new(request, pk: int):
    jit = selectors.jit_visible(user=request.user, pk=pk, request=request)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, form)
    text = form.cleaned_data["text"]
    return _do(
        request,
        pk,
        lambda: note_add(actor=request.user, jit=jit, text=text, request=request),
        _("The note was added."),
    )


@login_required
@require_POST
def task_new(request, pk: int):
    jit = selectors.jit_visible(user=request.user, pk=pk, request=request)
    form = TaskForm(request.POST, owners=selectors.member_users(jit=jit))
    if not form.is_valid():
        return _invalid(request, pk, form)
    return _do(
        request,
        pk,
        lambda: task_add(actor=request.user, jit=jit, request=request, **form.cleaned_data),
        _("The task was added."),
    )


@login_required
@require_POST
def task_done(request, pk: int):
    task = Task.objects.filter(pk=pk).select_related("jit").first()
    if task is None:
        raise Http404
    jit = selectors.jit_visible(user=request.user, pk=task.jit_id, request=request)
    return _do(
        request,
        jit.pk,
        lambda: task_complete(actor=request.user, task=task, request=request),
        _("The task was marked done."),
    )


@login_required
@require_POST
def case_link_new(request, pk: int):
    jit = selectors.jit_visible(user=request.user, pk=pk, request=request)
    form = CaseLinkForm(request.POST, cases=selectors.cases_linkable_by(user=request.user))
    if not form.is_valid():
        return _invalid(request, pk, form)
    case = form.cleaned_data["case"]
    return _do(
        request,
        pk,
        lambda: case_link_add(actor=request.user, jit=jit, case=case, request=request),
        _("The case was linked."),
    )


@login_required
@require_POST
def attachment_new(request, pk: int):
    jit = selectors.jit_visible(user=request.user, pk=pk, request=request)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, pk, form)
    upload = form.cleaned_data["file"]
    return _do(
        request,
        pk,
        lambda: attachment_add(actor=request.user, jit=jit, upload=upload, request=request),
        _("The file was attached."),
    )


@login_required
def attachment_download(request, pk: int):
    attachment = Attachment.objects.filter(pk=pk).select_related("jit").first()
    if attachment is None:
        raise Http404
    selectors.jit_visible(user=request.user, pk=attachment.jit_id, request=request)
    handle = attachment_open(actor=request.user, attachment=attachment, request=request)
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

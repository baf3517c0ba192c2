"""Pages of survey rounds: list, opening, tracking and assigning, the submission page (fill,
save as you go, submit; review with comments per question) and review steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from quipu.errors import DomainError
from quipu.indicators import round_selectors as selectors
from quipu.indicators import workflows
from quipu.indicators.round_forms import AssignForm, ReviewForm, RoundOpenForm
from quipu.indicators.rounds import round_assign_kind, submission_assign, survey_round_open
from quipu.indicators.submissions import (
    SubmissionInvalid,
    answers_filled,
    submission_review,
    submission_save,
    submission_submit,
)
from quipu.indicators.views import _form_language
from quipu.indicators.xlsform.engine import ADD, REMOVE
from quipu.tenancy.permissions import can, principal_for, require
from quipu.tenancy.roles import Capability, Scope


@login_required
def round_list(request):
    """Rounds the user follows (secretariat: all; focal point: their country's) and the
    assignments of the user's institution."""
    principal = principal_for(request.user)
    context = {
        "rounds": selectors.rounds_visible_to(user=request.user),
        "assignments": selectors.submissions_assigned_to(user=request.user),
        "can_open": can(request.user, Capability.MANAGE_REGION),
        "can_track": principal.scope(Capability.MANAGE_REGION) is Scope.REGION
        or principal.can(Capability.APPROVE_DISCLOSURE),
    }
    return render(request, "indicators/round_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    require(request.user, Capability.MANAGE_REGION, request=request)
    form = RoundOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey_round = survey_round_open(actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The survey round is open."))
        return redirect("indicators:round_detail", pk=survey_round.pk)
    return render(request, "indicators/round_new.html", {"form": form})


def _may_assign(user) -> bool:
    principal = principal_for(user)
    return principal.scope(Capability.MANAGE_USERS) is Scope.COUNTRY and principal.can(
        Capability.APPROVE_DISCLOSURE
    )


@login_required
def round_detail(request, pk: int):
    """The tracking page: each country's institutions and the state of their answers."""
    survey_round = selectors.round_tracking_visible(user=request.user, pk=pk, request=request)
    return _round_page(request, survey_round, None)


def _round_page(request, survey_round, form, status=200):
    may_assign = _may_assign(request.user)
    if may_assign and form is None:
        form = AssignForm(country=principal_for(request.user).country_id)
    context = {
        "round": survey_round,
        "tracking": selectors.round_tracking(user=request.user, survey_round=survey_round),
        "assign_form": form if may_assign else None,
    }
    return render(request, "indicators/round_detail.html", context, status=status)


@login_required
@require_POST
def round_assign(request, pk: int):
    survey_round = selectors.round_tracking_visible(user=request.user, pk=pk, request=request)
    require(request.user, Capability.MANAGE_USERS, request=request)
    form = AssignForm(request.POST, country=principal_for(request.user).country_id)
    if not form.is_valid():
        return _round_page(request, survey_round, form, status=422)
    data = form.cleaned_data
    common = {"actor": request.user, "survey_round": survey_round, "request": request}
    if data["kind"]:
        assigned, skipped = round_assign_kind(kind=data["kind"], **common)
        messages.success(
            request,
            ngettext(
                "Assigned to %(count)s institution.",
                "Assigned to %(count)s institutions.",
                len(assigned),
            )
            % {"count": len(assigned)},
        )
        if skipped:
            messages.warning(
                request,
                _("Not assigned, as they have no users yet: %(codes)s.")
                % {"codes": ", ".join(i.code for i in skipped)},
            )
    else:
        submission_assign(
            institution=data["institution"], responsible=data["responsible"], **common
        )
        messages.success(request, _("Assigned."))
    return redirect("indicators:round_detail", pk=survey_round.pk)


def _answers_posted(request) -> dict:
    return {key: request.POST.getlist(key) for key in request.POST if key.startswith("/")} | {
        key: request.POST.get(key) for key in request.POST if key.startswith("__count__")
    }


@login_required
@require_http_methods(["GET", "POST"])
def submission(request, pk: int):
    """Fill (save as you go, submit) or read a submission; reviewers see comment fields."""
    submission = selectors.submission_visible(user=request.user, pk=pk, request=request)
    language = _form_language(submission.round.survey, request)
    status, problems = 200, {}
    answers = submission.answers
    if request.method == "POST":
        posted = _answers_posted(request)
        for marker in (ADD, REMOVE):
            if marker in request.POST:
                posted[marker] = request.POST[marker]
        answers = posted
        try:
            if "__submit__" in request.POST:
                submission_submit(
                    actor=request.user,
                    submission=submission,
                    answers=posted,
                    language=language,
                    request=request,
                )
                messages.success(request, _("Submitted for approval."))
                return redirect("indicators:submission", pk=submission.pk)
            submission = submission_save(
                actor=request.user, submission=submission, answers=posted, request=request
            )
            answers = submission.answers  # counts a repeat entry just added or removed
            if not request.htmx:
                messages.success(request, _("Draft saved."))
        except SubmissionInvalid as error:
            status, problems = 422, error.problems
            # Keep what was typed as a draft, so that nothing is lost while it is fixed.
            submission_save(
                actor=request.user, submission=submission, answers=posted, request=request
            )
        except DomainError as error:
            messages.error(request, str(error.message))
            status = error.status
            submission.refresh_from_db()
            answers = submission.answers  # show what is stored, not what was refused
    else:
        selectors.submission_read_audit(actor=request.user, submission=submission, request=request)
    filled = answers_filled(submission, answers, language=language, check=bool(problems))
    for node in filled.walk():
        node.comment = submission.comments.get(node.path, "")
        chosen = [option["label"] for option in node.choices_shown if option["checked"]]
        node.answer_shown = "; ".join(chosen) if node.choices_shown else node.value
    actions = workflows.actions_open(request.user, submission)
    context = {
        "submission": submission,
        "filled": filled,
        "language": language,
        "may_fill": workflows.SAVE in actions,
        "review_actions": [
            (a, workflows.ACTION_LABELS[a]) for a in actions if a in workflows.REVIEW_ACTIONS
        ],
        "review_form": ReviewForm(),
        "rows": [
            n
            for n in filled.walk()
            if n.relevant
            and n.question.has_control
            and not n.question.is_container
            and n.widget != "note"
        ],
        "history": submission.events.select_related("actor").order_by("at", "pk"),
        "may_track": can(request.user, Capability.APPROVE_DISCLOSURE)
        or can(request.user, Capability.MANAGE_REGION),
    }
    template = "indicators/submission_form.html" if request.htmx else "indicators/submission.html"
    return render(
        request, template, context, status=200 if request.htmx and status == 422 else status
    )


@login_required
@require_POST
def submission_act(request, pk: int, action: str):
    """A review step: approve, return (comments per question), accept, unlock (reason)."""
    submission = selectors.submission_visible(user=request.user, pk=pk, request=request)
    comments = {
        key.removeprefix("comment:"): value
        for key, value in request.POST.items()
        if key.startswith("comment:")
    }
    try:
        submission_review(
            actor=request.user,
            submission=submission,
            action=action,
            comment=request.POST.get("comment", ""),
            comments=comments,
            request=request,
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, workflows.ACTION_DONE[action])
    return redirect("indicators:submission", pk=submission.pk)

"""The page where a focal point or the secretariat imports a KoboToolbox export into a round;
the report of a refused file is shown on the page, row by row."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from quipu.errors import DomainError
from quipu.indicators import round_selectors as selectors
from quipu.indicators.forms import UploadForm
from quipu.indicators.kobo import INSTITUTION_COLUMN
from quipu.indicators.kobo_import import (
    KoboImportInvalid,
    importable_submissions,
    submissions_import,
)


class KoboUploadForm(UploadForm):
    institution = forms.ChoiceField(
        label=_("Institution"),
        required=False,
        help_text=_(
            "Only for a file with one submission. Otherwise each row names its institution "
            "in a column institution_code."
        ),
    )

    def __init__(self, *args, submissions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", "—")] + [
            (s.institution.code, f"{s.institution.name} ({s.institution.code})")
            for s in submissions
        ]


@login_required
@require_http_methods(["GET", "POST"])
def submission_import(request, pk: int):
    """Upload a Kobo CSV or JSON export; the round's tracking page follows, or the report."""
    survey_round = selectors.round_tracking_visible(user=request.user, pk=pk, request=request)
    submissions = importable_submissions(actor=request.user, survey_round=survey_round).order_by(
        "institution__country_id", "institution__name"
    )
    form = KoboUploadForm(request.POST or None, request.FILES or None, submissions=submissions)
    problems, status = [], 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = submissions_import(
                actor=request.user,
                survey_round=survey_round,
                content=upload.read(),
                institution_code=form.cleaned_data["institution"],
                request=request,
            )
        except KoboImportInvalid as error:
            problems, status = error.problems, 422
        except DomainError as error:
            messages.error(request, str(error.message))
            status = error.status
        else:
            messages.success(request, result.summary)
            return redirect("indicators:round_detail", pk=survey_round.pk)
    elif request.method == "POST":
        status = 422
    context = {
        "round": survey_round,
        "form": form,
        "problems": problems,
        "file_problems": [p for p in problems if p.row is None],
        "row_problems": [p for p in problems if p.row is not None],
        "institution_column": INSTITUTION_COLUMN,
    }
    return render(request, "indicators/submission_import.html", context, status=status)

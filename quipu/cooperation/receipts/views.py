"""Pages: the receipts a user's country is party to, their download, and a verification form."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cooperation.receipts.forms import ReceiptFilterForm, ReceiptUploadForm
from quipu.cooperation.receipts.selectors import (
    receipt_events_for,
    receipt_reader,
    receipt_visible,
    receipts_filtered,
)
from quipu.cooperation.receipts.verification import receipt_verify
from quipu.errors import NotAllowed
from quipu.tenancy.permissions import denial_record
from quipu.tenancy.roles import Capability

PAGE_SIZE = 25


def receipt_reader_require(request) -> None:
    """NotAllowed (audited) unless the user takes part in a cooperation workflow."""
    if not receipt_reader(request.user):
        denial_record(request.user, capability=Capability.OPEN_REQUESTS, request=request)
        raise NotAllowed()


@login_required
def receipt_list(request):
    receipt_reader_require(request)
    form = ReceiptFilterForm(request.GET or None, events=receipt_events_for(user=request.user))
    event = form.cleaned_data["event"] if form.is_valid() else ""
    receipts = receipts_filtered(user=request.user, event=event)
    page = Paginator(receipts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": _("Certified receipts"),
        "form": form,
        "page": page,
        "receipts": list(page.object_list),
        "query": urlencode({"event": event}) if event else "",
    }
    return render(request, "receipts/list.html", context)


@login_required
def receipt_download(request, pk):
    receipt = receipt_visible(user=request.user, pk=pk, request=request)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        obj=receipt,
        detail={"event": receipt.event, "format": "json"},
        request=request,
    )
    response = HttpResponse(receipt.document_json, content_type="application/json; charset=utf-8")
    # The receipt's uuid is the file name: never a case reference or a name.
    response["Content-Disposition"] = f'attachment; filename="{receipt.pk}.json"'
    return response


@login_required
def receipt_verify_page(request):
    form = ReceiptUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = receipt_verify(form.cleaned_data["receipt_file"])
    return render(
        request,
        "receipts/verify.html",
        {"title": _("Verify a receipt"), "form": form, "result": result},
    )

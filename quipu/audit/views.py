from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from quipu.audit.checkpoints import (
    FILE_NAME,
    CheckpointInvalid,
    checkpoint_dir,
    checkpoint_file_read,
    checkpoint_files,
)
from quipu.audit.forms import AuditFilterForm
from quipu.audit.keys import audit_keyring, public_key_pem
from quipu.audit.selectors import audit_entries_filtered
from quipu.audit.services import audit_pending_chain
from quipu.tenancy.permissions import require
from quipu.tenancy.roles import Capability

CHECKPOINTS_SHOWN = 60


@login_required
def audit_trail(request):
    """The focal point's view of who did what to their country's records."""
    require(request.user, Capability.READ_AUDIT, request=request)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    audit_pending_chain(wait=False)  # reads still waiting to be chained show too
    entries = audit_entries_filtered(user=request.user, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/trail.html", context)


@login_required
def audit_checkpoints(request):
    """Signed checkpoints of the log's head, for focal points to download and keep."""
    require(request.user, Capability.READ_AUDIT, request=request)
    keyring = audit_keyring()
    checkpoints = []
    for path in reversed(checkpoint_files()[-CHECKPOINTS_SHOWN:]):
        try:
            checkpoints.append(checkpoint_file_read(path, keyring=keyring))
        except CheckpointInvalid:
            continue  # `quipu audit verify` reports it to the operator
    context = {"checkpoints": checkpoints, "key_id": keyring.current.key_id}
    return render(request, "audit/checkpoints.html", context)


@login_required
def audit_checkpoint_download(request, name: str):
    require(request.user, Capability.READ_AUDIT, request=request)
    path = checkpoint_dir() / name
    if not FILE_NAME.match(name) or not path.is_file():
        raise Http404
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename=name, content_type="application/json"
    )


@login_required
def audit_checkpoint_public_key(request):
    require(request.user, Capability.READ_AUDIT, request=request)
    key = audit_keyring().current
    response = HttpResponse(public_key_pem(key.public_key), content_type="application/x-pem-file")
    filename = f"quipu-audit-{key.key_id}.pem"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

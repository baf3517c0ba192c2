from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from quipu.audit.forms import AuditFilterForm
from quipu.audit.selectors import audit_entries_filtered
from quipu.tenancy.permissions import require
from quipu.tenancy.roles import Capability


@login_required
def audit_trail(request):
    """The focal point's view of who did what to their country's records."""
    require(request.user, Capability.READ_AUDIT, request=request)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries_filtered(user=request.user, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/trail.html", context)

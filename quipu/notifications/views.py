from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quipu.notifications.forms import NotificationSettingsForm
from quipu.notifications.models import Notification
from quipu.notifications.services import (
    notification_open,
    notification_settings_update,
    notifications_all_read,
    notifications_for,
    settings_for,
)

PAGE_SIZE = 30


@login_required
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    rows = notifications_for(user=request.user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "query": "unread=1" if unread_only else ""}
    return render(request, "notifications/list.html", context)


@login_required
def notification_follow(request, pk: int):
    try:
        notification = notifications_for(user=request.user).get(pk=pk)
        target = notification_open(actor=request.user, notification=notification)
    except Notification.DoesNotExist:
        raise Http404 from None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        raise Http404
    return redirect(target)


@login_required
@require_POST
def notifications_read(request):
    count = notifications_all_read(actor=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def notification_settings(request):
    current = settings_for(request.user)
    form = NotificationSettingsForm(
        request.POST or None,
        initial={"email_mode": current.email_mode, "language": current.language},
    )
    if request.method == "POST" and form.is_valid():
        notification_settings_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})

"""Pages for personal API tokens: the owner's (account security) and a focal point's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from knox.settings import knox_settings

from quipu.accounts.forms import TokenRevokeForm
from quipu.accounts.selectors import api_tokens_manageable_by, api_tokens_of
from quipu.accounts.services import (
    api_token_create,
    api_token_revoke,
    confirmed_device,
    two_factor_required,
)
from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.tenancy.permissions import principal_for, require
from quipu.tenancy.roles import Capability


def security_page(request, *, new_key: str | None = None):
    context = {
        "two_factor_enabled": confirmed_device(request.user) is not None,
        "two_factor_required": two_factor_required(request.user),
        "tokens": api_tokens_of(user=request.user),
        "new_key": new_key,
        "token_days": knox_settings.TOKEN_TTL.days,
    }
    return render(request, "accounts/security.html", context)


@login_required
def security(request):
    """Two-factor status, password and the personal API tokens."""
    return security_page(request)


@login_required
@require_POST
def api_token_new(request):
    # Rendered, not redirected: the key is shown this once and is never kept in the session.
    key = api_token_create(user=request.user, request=request)
    return security_page(request, new_key=key)


@login_required
@require_POST
def api_token_revoke_view(request):
    form = TokenRevokeForm(request.POST)
    back = "accounts:api_tokens" if request.POST.get("back") == "managed" else "accounts:security"
    if form.is_valid():
        api_token_revoke(actor=request.user, public_id=form.cleaned_data["token"], request=request)
        messages.success(
            request, _("The token was revoked. Programs using it can no longer call the API.")
        )
    else:
        messages.error(request, _("Choose the token to revoke from the list."))
    return redirect(back)


@login_required
def api_tokens_managed(request):
    """The unexpired tokens of the users a focal point (or the secretariat) manages."""
    require(request.user, Capability.MANAGE_USERS, request=request)
    tokens = list(api_tokens_manageable_by(user=request.user))
    audit_record(
        actor=request.user,
        action=Action.READ,
        object_type="accounts.apitoken",
        detail={"tokens": [token.short_id for token in tokens]},
        subject_country=principal_for(request.user).country_id or "",
        request=request,
    )
    return render(request, "accounts/api_tokens.html", {"tokens": tokens})

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "inactive": _("This account is disabled. Ask your national focal point to restore it."),
    }

    def confirm_login_allowed(self, user):
        if not user.is_active:
            audit_record(
                actor=None,
                action=Action.LOGIN_FAILED,
                obj=user,
                detail={"reason": "inactive", "known_account": True},
                request=self.request,
            )
        super().confirm_login_allowed(user)


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the six digits shown by your authenticator app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TokenRevokeForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)

import time

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from quipu.accounts.forms import LoginForm, TokenForm
from quipu.accounts.services import (
    confirmed_device,
    enrolment_device,
    enrolment_qr_svg,
    otp_check,
    otp_enrol_confirm,
    two_factor_required,
)
from quipu.audit.models import Action
from quipu.audit.services import audit_record

PENDING_KEY = "quipu_pending_2fa"
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        # Password right, second factor still to come: nothing is signed in yet.
        self.request.session.cycle_key()
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "since": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("accounts:login_code")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            actor=self.request.user,
            action=Action.UPDATE,
            obj=self.request.user,
            detail={"credential": "password"},
            request=self.request,
        )
        messages.success(self.request, _("Your password was changed."))
        return response

    def get_success_url(self):
        return reverse("accounts:security")


@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def login_code(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, _("Your sign-in took too long. Enter your password again."))
        return redirect("accounts:login")
    user = get_user_model().objects.get(pk=pending["user"])
    device = confirmed_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if device is not None and otp_check(user=user, device=device, token=token, request=request):
            request.session.pop(PENDING_KEY, None)
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            target = pending.get("next") or settings.LOGIN_REDIRECT_URL
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = settings.LOGIN_REDIRECT_URL
            return redirect(target)
        form.add_error("token", _("That code is not valid. Wait for a new one and try again."))
    return render(request, "accounts/login_code.html", {"form": form})


@login_required
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    device = enrolment_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if otp_enrol_confirm(user=request.user, device=device, token=token, request=request):
            otp_login(request, device)
            messages.success(request, _("Two-factor login is on for your account."))
            return redirect("web:home")
        form.add_error("token", _("That code is not valid. Wait for a new one and try again."))
    context = {
        "form": form,
        "qr_svg": enrolment_qr_svg(device),
        "secret": device.config_url.split("secret=")[1].split("&")[0],
        "required": two_factor_required(request.user),
        "enabled": confirmed_device(request.user) is not None,
    }
    return render(request, "accounts/two_factor_setup.html", context)


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this once an account or address has failed too often."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)

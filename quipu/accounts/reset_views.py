"""Password reset pages: thin, over quipu.accounts.reset (the rules are documented there)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.generic import FormView, TemplateView

from quipu.accounts.reset import (
    password_reset_bad_link,
    password_reset_complete,
    password_reset_refused,
    password_reset_request,
    password_reset_wait_minutes,
)


class PasswordResetRequestView(FormView):
    form_class = PasswordResetForm  # its e-mail field only; sending is reset.py's
    template_name = "accounts/password_reset_form.html"

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        minutes = password_reset_wait_minutes(request=self.request, email=email)
        if minutes:
            password_reset_refused(request=self.request)
            context = {"minutes": minutes}
            return render(self.request, "accounts/password_reset_limited.html", context, status=429)
        password_reset_request(request=self.request, email=email)
        return redirect("accounts:password_reset_done")


class PasswordResetDoneView(TemplateView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(minutes=settings.PASSWORD_RESET_TIMEOUT // 60, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and response.status_code == 200:
            password_reset_bad_link(request=self.request)
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        password_reset_complete(user=form.user, request=self.request)
        return response


class PasswordResetCompleteView(TemplateView):
    template_name = "accounts/password_reset_complete.html"

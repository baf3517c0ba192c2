from django.contrib.auth import views as auth_views
from django.urls import path

from quipu.accounts import reset_views, token_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("security/", token_views.security, name="security"),
    path("security/tokens/new/", token_views.api_token_new, name="api_token_new"),
    path("security/tokens/revoke/", token_views.api_token_revoke_view, name="api_token_revoke"),
    path("tokens/", token_views.api_tokens_managed, name="api_tokens"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", reset_views.PasswordResetRequestView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        reset_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        reset_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        reset_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

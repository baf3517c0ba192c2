"""API token authentication: django-rest-knox's expiring tokens, re-checked at every use.

Rule 7: a token is worth what its owner may do now. Knox refuses expired tokens and inactive
users; here a token also stops once two-factor login is required of its owner and the token
was not made after passing the owner's current second factor."""

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from quipu.accounts.selectors import api_token_usable


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token):
        user, auth_token = super().authenticate_credentials(token)
        if not api_token_usable(auth_token):
            raise exceptions.AuthenticationFailed(
                _(
                    "Two-factor login is required for your role. Sign in with your second "
                    "factor and create a new token on your account security page."
                )
            )
        return user, auth_token

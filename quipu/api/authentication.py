"""API token authentication: django-rest-knox's expiring tokens, re-checked at every use.

Rule 7: a token is worth what its owner may do now. Knox refuses expired tokens and inactive
users; here a token also stops once two-factor login is required of its owner and the token
was not made after passing the owner's current second factor."""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from quipu.accounts.selectors import api_token_usable


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token):
        user, auth_token = self._knox_credentials(token)
        if not api_token_usable(auth_token):
            raise exceptions.AuthenticationFailed(
                _(
                    "Two-factor login is required for your role. Sign in with your second "
                    "factor and create a new token on your account security page."
                )
            )
        return user, auth_token

    def _knox_credentials(self, token: bytes):
        """Knox's own check (knox.auth.TokenAuthentication.authenticate_credentials, 5.1), with
        the owner's institution and the token's authenticator read in the same query: the
        audit of the request's reads names the actor's institution, and api_token_usable looks
        at the authenticator, each otherwise one more query per request."""
        text = token.decode("utf-8")
        candidates = (
            get_token_model()
            .objects.filter(token_key=text[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user__membership__institution", "second_factor")
        )
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(text)
            except (TypeError, binascii.Error):
                break
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        # No token matched: knox's own refusal (and its translated message).
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token) -> bool:
        """Refuse (and delete) this token if it has expired. Knox also read all the owner's
        other tokens on every request to delete the expired ones: one more query per call,
        which the daily prune (accounts.services.sign_in_records_prune) makes needless; an
        expired token is refused whenever it is used either way."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False

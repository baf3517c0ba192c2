"""API test helpers: tokens made as the account page makes them, for clients and schemathesis."""

from rest_framework.test import APIClient


def api_token_for(user) -> str:
    """A fresh expiring API token of `user`, vouched for by their authenticator if they have
    one (as if made after a two-factor login). Returns the key to send as `Token <key>`."""
    from quipu.accounts.models import ApiToken
    from quipu.accounts.services import confirmed_device

    _token, key = ApiToken.objects.create(user=user, second_factor=confirmed_device(user))
    return key


def api_client_for(user) -> APIClient:
    """An API client that authenticates with a fresh token of `user`."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return client

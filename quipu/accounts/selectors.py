"""Reads for sign-in and account security: API tokens, already scoped for the user asking."""

from django.db.models import QuerySet
from django.utils import timezone

from quipu.accounts.models import ApiToken
from quipu.accounts.services import two_factor_required
from quipu.tenancy.selectors import users_manageable_by


def api_token_usable(token: ApiToken) -> bool:
    """Whether `token` may be used now: where its owner must pass a second factor, the token
    was made after passing the owner's authenticator, and that authenticator is still theirs."""
    if token.expiry is None:  # knox's "never expires"; every token here must
        return False
    if not two_factor_required(token.user):
        return True
    device = token.second_factor
    return device is not None and device.confirmed and device.user_id == token.user_id


def _live(queryset: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
    return queryset.filter(expiry__gt=timezone.now()).select_related(
        "user__membership__institution"
    )


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens that have not expired, newest first."""
    return _live(ApiToken.objects.filter(user=user))


def api_tokens_manageable_by(*, user) -> QuerySet[ApiToken]:
    """Unexpired tokens of the users `user` manages: a focal point's country, the
    secretariat's region (the permission layer decides, through users_manageable_by)."""
    return _live(ApiToken.objects.filter(user__in=users_manageable_by(user=user))).order_by(
        "user__username", "-created"
    )


def api_token_revocable_by(*, user, public_id) -> ApiToken | None:
    """The token with `public_id` if `user` owns it or manages its owner; None otherwise."""
    own = ApiToken.objects.filter(user=user, public_id=public_id)
    managed = ApiToken.objects.filter(user__in=users_manageable_by(user=user), public_id=public_id)
    return (own | managed).select_related("user__membership__institution").first()

"""Reads of countries, institutions and users, already scoped for the user asking."""

from django.db.models import Count, Q, QuerySet

from quipu.tenancy.models import Country, Institution, User
from quipu.tenancy.permissions import scoped
from quipu.tenancy.roles import Capability


def member_states() -> QuerySet[Country]:
    return Country.objects.filter(is_member=True).annotate(
        institution_count=Count("institutions", filter=Q(institutions__is_active=True))
    )


def institutions_visible_to(*, user) -> QuerySet[Institution]:
    queryset = Institution.objects.select_related("country", "located_in")
    return scoped(user, queryset, Capability.READ_DIRECTORY)


def institutions_manageable_by(*, user) -> QuerySet[Institution]:
    """Institutions `user` may add users to: the region for the secretariat, else their country."""
    return scoped(user, Institution.objects.select_related("country"), Capability.MANAGE_USERS)


def users_manageable_by(*, user) -> QuerySet[User]:
    queryset = User.objects.select_related("membership__institution__country")
    return scoped(user, queryset, Capability.MANAGE_USERS)

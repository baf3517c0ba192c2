"""The permission layer: the one place that decides who sees and does what (DESIGN.md rule 1).

Every queryset that reaches a view, an API endpoint or an export starts here. Models declare
once how they are owned (`owned_by`); roles declare once what they grant (`roles.ROLE_GRANTS`).
"""

from dataclasses import dataclass, field

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import NotAllowed
from quipu.tenancy.roles import Capability, Role, Scope, widest_scope


@dataclass(frozen=True)
class Ownership:
    country_path: str
    institution_path: str
    institution_by_code: bool = False


_OWNERSHIP: dict[type[Model], Ownership] = {}


def owned_by(*, country: str, institution: str, institution_by_code: bool = False):
    """Class decorator: how to reach a model's owning country and institution in a query."""

    def register(model: type[Model]) -> type[Model]:
        _OWNERSHIP[model] = Ownership(country, institution, institution_by_code)
        return model

    return register


def ownership_of(model: type[Model]) -> Ownership:
    try:
        return _OWNERSHIP[model]
    except KeyError:
        raise LookupError(f"{model._meta.label} declares no ownership") from None


@dataclass(frozen=True)
class Principal:
    """What the permission layer knows about a signed-in user."""

    user_id: int | None
    institution_id: int | None = None
    institution_code: str = ""
    country_id: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    def scope(self, capability: Capability) -> Scope | None:
        return widest_scope(self.roles, capability)

    def can(self, capability: Capability) -> bool:
        return self.scope(capability) is not None

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles


ANONYMOUS = Principal(user_id=None)
# Operators (Django superusers) administer the region; they do not read case data.
OPERATOR_ROLES = frozenset({Role.SECRETARIAT.value})


def principal_for(user) -> Principal:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_quipu_principal", None)
    if cached is not None:
        return cached
    from quipu.tenancy.models import Membership

    membership = (
        Membership.objects.select_related("institution")
        .prefetch_related("role_rows")
        .filter(user_id=user.pk)
        .first()
    )
    if membership is None:
        principal = Principal(user.pk, roles=OPERATOR_ROLES if user.is_superuser else frozenset())
    else:
        roles = frozenset(row.role for row in membership.role_rows.all())
        if user.is_superuser:
            roles |= OPERATOR_ROLES
        principal = Principal(
            user_id=user.pk,
            institution_id=membership.institution_id,
            institution_code=membership.institution.code,
            country_id=membership.institution.country_id,
            roles=roles,
        )
    user._quipu_principal = principal
    return principal


def can(user, capability: Capability) -> bool:
    return principal_for(user).can(capability)


def scoped(user, queryset: QuerySet, capability: Capability) -> QuerySet:
    """`queryset` narrowed to the rows `user` may reach with `capability`; none if not granted."""
    principal = principal_for(user)
    scope = principal.scope(capability)
    if scope is None:
        return queryset.none()
    if scope is Scope.REGION:
        return queryset
    ownership = ownership_of(queryset.model)
    if scope is Scope.COUNTRY:
        if principal.country_id is None:
            return queryset.none()
        in_country = queryset.filter(**{ownership.country_path: principal.country_id})
        if capability in CONSULAR_SEALED and not ownership.institution_by_code:
            in_country = in_country.exclude(_abroad_consulate_not_mine(ownership, principal))
        return in_country
    key = principal.institution_code if ownership.institution_by_code else principal.institution_id
    return queryset.filter(**{ownership.institution_path: key})


def personal_readable(user, queryset: QuerySet) -> QuerySet:
    """Rule 7, decided here and nowhere else: the rows of `queryset` whose personal fields `user`
    may read. Each row is judged by the scope of the role that grants READ_PERSONAL, against
    that row's owner, so a second role (an analyst's country-wide de-identified reading) never
    widens it. Lists, search, exports, the API and pages all ask this; none asks `can()`."""
    return scoped(user, queryset, Capability.READ_PERSONAL)


# A consulate abroad records nationals found as victims there. Those records reach the home
# country only through a consular referral, within the victim's consent to share with it; the
# country-wide readers of case data do not see them (see docs/decisions.md). The seal covers
# whatever the consulate owns (its cases, their people, its imports) and the consulate itself
# and its users, for every country-wide right that could reach case data: a focal point who
# could add or change a user there, or write or answer for it, could read through it.
CONSULAR_SEALED = frozenset(
    {
        Capability.READ_CASES,
        Capability.WRITE_CASES,
        Capability.READ_PERSONAL,
        Capability.READ_DEIDENTIFIED,
        Capability.ANSWER_REQUESTS,
        Capability.MANAGE_USERS,
    }
)


def sealed_institution(path: str = "pk") -> Q:
    """Institutions under the consular seal: consulates located abroad. `path` leads from the
    queried model to its institution ("pk" for institutions themselves)."""
    path = path.removesuffix("_id")  # an ownership may name the key column ("institution_id")
    prefix = "" if path == "pk" else f"{path}__"
    return Q(**{f"{prefix}kind": "consulate", f"{prefix}located_in__isnull": False})


def _abroad_consulate_not_mine(ownership: Ownership, principal: Principal) -> Q:
    path = ownership.institution_path
    return sealed_institution(path) & ~Q(**{path: principal.institution_id})


def scoped_addressed(user, queryset: QuerySet, capability: Capability, *, country_path: str):
    """Rows addressed to the user's country, such as requests or referrals sent to it (the
    receiving party of a two-country record): all of them at region scope, none without the
    capability or a country."""
    principal = principal_for(user)
    scope = principal.scope(capability)
    if scope is Scope.REGION:
        return queryset
    if scope is None or principal.country_id is None:
        return queryset.none()
    return queryset.filter(**{country_path: principal.country_id})


def require(user, capability: Capability, *, request=None) -> Principal:
    """Raise NotAllowed (and audit the denial) unless `user` holds `capability` somewhere."""
    principal = principal_for(user)
    if not principal.can(capability):
        denial_record(user, capability=capability, request=request)
        raise NotAllowed()
    return principal


def get_visible_or_404(user, queryset: QuerySet, capability: Capability, *, request=None, **lookup):
    """One row `user` may reach, else 404. A row that exists out of scope is audited as denied."""
    try:
        return scoped(user, queryset, capability).get(**lookup)
    except queryset.model.DoesNotExist:
        hidden = queryset.filter(**lookup).first()
        if hidden is not None:
            denial_record(user, capability=capability, obj=hidden, request=request)
        raise Http404 from None


def denial_record(user, *, capability: Capability | str = "", obj=None, request=None, path=""):
    audit_record(
        actor=user,
        action=Action.DENIED,
        obj=obj,
        detail={"capability": str(capability), "path": path or _path(request)},
        request=request,
    )


def _path(request) -> str:
    # The route name, not the path: URLs never carry personal data, but keep the log lean.
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""

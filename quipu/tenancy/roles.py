"""The roles of DESIGN.md section 2: what each may do, at which scope. The one source of truth."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Technical secretariat")
    FOCAL_POINT = "focal_point", _("National focal point")
    CASEWORKER = "caseworker", _("Caseworker")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    CONSULAR_OFFICER = "consular_officer", _("Consular officer")
    ANALYST = "analyst", _("Analyst")


class Scope(StrEnum):
    """How far a grant reaches: the whole region, the user's country, or the user's institution."""

    REGION = "region"
    COUNTRY = "country"
    INSTITUTION = "institution"


class Capability(StrEnum):
    MANAGE_REGION = "manage_region"  # member states, institutions, indicator framework, surveys
    MANAGE_USERS = "manage_users"
    READ_AGGREGATES = "read_aggregates"
    READ_CASES = "read_cases"
    WRITE_CASES = "write_cases"
    READ_PERSONAL = "read_personal"
    READ_DEIDENTIFIED = "read_deidentified"
    APPROVE_DISCLOSURE = "approve_disclosure"
    ANSWER_REQUESTS = "answer_requests"
    OPEN_REQUESTS = "open_requests"
    OPEN_JIT = "open_jit"
    REGISTER_FOREIGN_VICTIMS = "register_foreign_victims"
    OPEN_REFERRALS = "open_referrals"
    READ_AUDIT = "read_audit"
    USE_ADMIN = "use_admin"
    READ_DIRECTORY = "read_directory"  # institutions and their contacts: whom to call
    REVIEW_MATCHES = "review_matches"  # cross-border match notices: see, confirm, reject
    ANSWER_REFERRALS = "answer_referrals"  # consular referrals of the country's own nationals
    WORK_IN_JIT = "work_in_jit"  # work in the joint teams one's institution is a member of
    LOG_REPORTS = "log_reports"  # helpline reports from the public
    TRIAGE_REPORTS = "triage_reports"  # route helpline reports: lead, case or another country


C, S = Capability, Scope

ROLE_GRANTS: dict[Role, dict[Capability, Scope]] = {
    Role.SECRETARIAT: {
        C.MANAGE_REGION: S.REGION,
        C.MANAGE_USERS: S.REGION,
        C.READ_AGGREGATES: S.REGION,
        C.USE_ADMIN: S.REGION,
    },
    Role.FOCAL_POINT: {
        C.MANAGE_USERS: S.COUNTRY,
        C.READ_CASES: S.COUNTRY,
        C.WRITE_CASES: S.COUNTRY,
        C.READ_PERSONAL: S.COUNTRY,
        C.READ_DEIDENTIFIED: S.COUNTRY,
        C.APPROVE_DISCLOSURE: S.COUNTRY,
        C.ANSWER_REQUESTS: S.COUNTRY,
        C.OPEN_REQUESTS: S.COUNTRY,
        C.READ_AGGREGATES: S.COUNTRY,
        C.READ_AUDIT: S.COUNTRY,
        C.USE_ADMIN: S.COUNTRY,
        C.REVIEW_MATCHES: S.COUNTRY,
        C.ANSWER_REFERRALS: S.COUNTRY,
        C.WORK_IN_JIT: S.INSTITUTION,
        C.LOG_REPORTS: S.COUNTRY,
        C.TRIAGE_REPORTS: S.COUNTRY,
    },
    Role.CASEWORKER: {
        C.READ_CASES: S.INSTITUTION,
        C.WRITE_CASES: S.INSTITUTION,
        C.READ_PERSONAL: S.INSTITUTION,
        C.READ_DEIDENTIFIED: S.INSTITUTION,
        C.OPEN_REFERRALS: S.INSTITUTION,
        C.WORK_IN_JIT: S.INSTITUTION,
        C.LOG_REPORTS: S.INSTITUTION,  # helpline operators are caseworkers of a helpline
    },
    Role.PROSECUTOR: {
        C.READ_CASES: S.COUNTRY,
        C.READ_PERSONAL: S.COUNTRY,
        C.READ_DEIDENTIFIED: S.COUNTRY,
        C.OPEN_REQUESTS: S.COUNTRY,
        C.OPEN_JIT: S.COUNTRY,
        C.WORK_IN_JIT: S.INSTITUTION,
    },
    Role.CONSULAR_OFFICER: {
        C.REGISTER_FOREIGN_VICTIMS: S.INSTITUTION,
        C.OPEN_REFERRALS: S.INSTITUTION,
    },
    Role.ANALYST: {
        C.READ_DEIDENTIFIED: S.COUNTRY,
        C.READ_AGGREGATES: S.COUNTRY,
    },
}

# Every role may look up institutions across the region, to know whom to contact.
for _grants in ROLE_GRANTS.values():
    _grants[C.READ_DIRECTORY] = S.REGION

_BREADTH = {S.INSTITUTION: 0, S.COUNTRY: 1, S.REGION: 2}

# Roles whose holders read personal data; two-factor login can be required of them.
PERSONAL_DATA_ROLES = frozenset(
    role for role, grants in ROLE_GRANTS.items() if Capability.READ_PERSONAL in grants
)


def widest_scope(roles, capability: Capability) -> Scope | None:
    """The broadest scope any of `roles` grants for `capability`, or None."""
    scopes = [ROLE_GRANTS[Role(r)].get(capability) for r in roles]
    scopes = [s for s in scopes if s is not None]
    return max(scopes, key=_BREADTH.__getitem__) if scopes else None

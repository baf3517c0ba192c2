"""Rule 1, generated: every role x country x route, each answered as DESIGN.md section 2 says.

Every named route of the site must appear in ROUTES below, so a new page cannot ship without a
declared rule. Allowed means 200 (or the route's own redirect); forbidden means 401, 403 or
404 (or the sign-in page for anonymous visitors): never 500, and never another country's data.
"""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from quipu.tenancy.countries import REGIONAL_PLATFORM
from tests.matrix_rules import (  # noqa: F401  the vocabulary of the rules below
    ADMINS,
    ANY,
    CASE_READERS,
    CASE_WRITERS,
    COUNTRY_ROLES,
    PERSONAL_READERS,
    PUBLIC,
    SECRETARIAT,
    USERNAME,
    Route,
    roles,
)

# Apps that declare their own routes and records (see tests/matrix_rules.py).
EXTENSIONS = (
    "tests.audit.matrix",
    "tests.notifications.matrix",
    "tests.indicators.matrix",
    "tests.cooperation.receipts.matrix",
    "tests.cooperation.requests.matrix",
    "tests.cooperation.jits.matrix",
    "tests.cooperation.referrals.matrix",
    "tests.cooperation.helpline.matrix",
    "tests.cooperation.dashboard.matrix",
    "tests.progress.matrix",
)

ROUTES: dict[str, Route] = {
    "web:home": Route(ANY),
    "web:set_language": Route(PUBLIC, ok=(405,)),  # POST only
    "accounts:login": Route(PUBLIC, ok=(200, 302)),  # signed-in users are sent home
    "accounts:login_code": Route(PUBLIC, ok=(302,)),  # no password step pending
    "accounts:logout": Route(PUBLIC, ok=(405,)),  # POST only
    "accounts:two_factor_setup": Route(ANY),
    "accounts:security": Route(ANY),
    "accounts:password_change": Route(ANY),
    "accounts:api_token_new": Route(ANY, ok=(405,)),  # POST only
    "accounts:api_token_revoke": Route(ANY, ok=(405,)),  # POST only
    "accounts:api_tokens": Route(ADMINS),
    # Password reset answers everyone alike, whether or not an account stands behind it.
    "accounts:password_reset": Route(PUBLIC),
    "accounts:password_reset_done": Route(PUBLIC),
    "accounts:password_reset_confirm": Route(PUBLIC, kwargs={"uidb64": "MQ", "token": "x-y"}),
    "accounts:password_reset_complete": Route(PUBLIC),
    # The user guide holds no personal data: public, like the sign-in page that links to it.
    "help:index": Route(PUBLIC, ok=(200, 302)),  # a signed-in user goes to their role page
    "help:page": Route(PUBLIC, kwargs={"slug": "cases"}),
    "help:image": Route(PUBLIC, kwargs={"name": "home-focal-point-es.png"}),
    "audit:trail": Route(roles("focal_point")),
    "cases:list": Route(CASE_READERS),
    "cases:detail": Route(CASE_READERS, obj="case"),
    "cases:new": Route(CASE_WRITERS),
    "cases:edit": Route(CASE_WRITERS, obj="case", kwargs={"step": "route"}),
    "api:schema": Route(PUBLIC),
    "api:docs": Route(PUBLIC),
    "api:me": Route(ANY),
    "api:member-states": Route(ANY),
    "api:institutions": Route(ANY),
    "api:users": Route(ADMINS),
    "api:audit": Route(roles("focal_point")),
    "intake:import_start": Route(CASE_WRITERS),
    "intake:template_help": Route(ANY),
    "intake:export_start": Route(ANY, ok=(405,)),  # POST only
    "intake:export_detail": Route(frozenset(), obj="export"),  # the requester's own only
    "intake:export_download": Route(frozenset(), obj="export"),
    "intake:template_csv": Route(ANY),
    "intake:import_detail": Route(CASE_WRITERS, obj="import"),
    "intake:import_report": Route(CASE_WRITERS, obj="import"),
    "intake:import_confirm": Route(CASE_WRITERS, obj="import", ok=(405,)),  # POST only
    "intake:import_undo": Route(CASE_WRITERS, obj="import", ok=(405,)),  # POST only
    "api:cases": Route(CASE_READERS),
    "api:case-search": Route(CASE_READERS, ok=(405,)),  # POST only
    "api:case": Route(CASE_READERS, obj="case"),
    "api:persons": Route(CASE_READERS),  # de-identified for analysts
    "api:person": Route(CASE_READERS, obj="person"),
    "api:route-events": Route(CASE_READERS),
    "api:route-event": Route(CASE_READERS, obj="route_event"),
    "api:identifiers": Route(CASE_READERS),  # an empty list for analysts
    "api:identifier": Route(PERSONAL_READERS, obj="identifier"),  # 404 for analysts
    "api:imports": Route(CASE_WRITERS, ok=(405,)),  # POST only
    "api:import": Route(CASE_WRITERS, obj="import"),
    "admin:index": Route(ADMINS),
    "admin:login": Route(PUBLIC, ok=(302,)),
    "admin:logout": Route(ADMINS, ok=(405,)),
    "admin:password_change": Route(ADMINS),
    "admin:password_change_done": Route(ADMINS),
    "admin:jsi18n": Route(ADMINS),
    "admin:app_list": Route(ADMINS, kwargs={"app_label": "tenancy"}),
    "admin:autocomplete": Route(frozenset(), ok=(403,)),  # needs its query; never data bare
    "admin:view_on_site": Route(frozenset(), kwargs={"content_type_id": 1, "object_id": 1}),
    "admin:tenancy_country_changelist": Route(SECRETARIAT),
    "admin:tenancy_country_add": Route(SECRETARIAT),
    "admin:tenancy_country_change": Route(SECRETARIAT, obj="country"),
    "admin:tenancy_country_history": Route(SECRETARIAT, obj="country"),
    "admin:tenancy_country_delete": Route(frozenset(), obj="country"),  # countries stay
    "admin:tenancy_institution_changelist": Route(SECRETARIAT),
    "admin:tenancy_institution_add": Route(SECRETARIAT),
    "admin:tenancy_institution_change": Route(SECRETARIAT, obj="institution"),
    "admin:tenancy_institution_history": Route(SECRETARIAT, obj="institution"),
    "admin:tenancy_institution_delete": Route(SECRETARIAT, obj="institution"),
    "admin:tenancy_user_changelist": Route(ADMINS),
    "admin:tenancy_user_add": Route(ADMINS),
    "admin:tenancy_user_change": Route(ADMINS, obj="user"),
    "admin:tenancy_user_history": Route(ADMINS, obj="user"),
    "admin:tenancy_user_delete": Route(ADMINS, obj="user"),
    "admin:auth_user_password_change": Route(ADMINS, obj="user"),
    # Match notices: each country's focal point reviews its own sides; thresholds and runs
    # are the secretariat's.
    "linkage:notices": Route(roles("focal_point")),
    "linkage:notice": Route(roles("focal_point"), obj="notice_side"),
    "linkage:group": Route(roles("focal_point"), obj="notice_side"),
    "linkage:settings": Route(SECRETARIAT),
    "linkage:run_start": Route(ANY, ok=(405,)),  # POST only
    # quipu/indicators: the framework and surveys are regional reference data every signed-in
    # user reads; only the secretariat (MANAGE_REGION) edits and imports them.
    "indicators:framework": Route(ANY),
    "indicators:indicator_new": Route(SECRETARIAT),
    "indicators:indicator_edit": Route(SECRETARIAT, kwargs={"code": "PROT-02"}),
    "indicators:framework_export": Route(ANY),
    "indicators:framework_import": Route(SECRETARIAT),
    "indicators:survey_list": Route(ANY),
    "indicators:survey_import": Route(SECRETARIAT),
    "indicators:survey_fill": Route(ANY, kwargs={"form_id": "quipu_baseline"}),
    "indicators:survey_guide": Route(ANY, kwargs={"form_id": "quipu_baseline"}),
}

RECORDS: dict = {}
for _name in EXTENSIONS:
    _module = importlib.import_module(_name)
    ROUTES.update(_module.ROUTES)
    RECORDS.update(getattr(_module, "RECORDS", {}))


def _route_names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_declares_who_may_use_it():
    undeclared = _route_names(get_resolver().url_patterns) - set(ROUTES)
    assert not undeclared, f"routes without a rule in the permission matrix: {sorted(undeclared)}"


def _neighbour(country: str) -> str:
    index = REGIONAL_PLATFORM.index(country)
    return REGIONAL_PLATFORM[(index + 1) % len(REGIONAL_PLATFORM)]


def _record(kind: str, country: str):
    from quipu.cases.models import Case
    from quipu.tenancy.models import Country, Institution, User

    if kind == "case":
        return Case.objects.get(reference=f"{country}-TEST-1")
    if kind in ("person", "route_event", "identifier"):
        case = Case.objects.get(reference=f"{country}-TEST-1")
        person = case.victims.get().person
        if kind == "person":
            return person
        if kind == "route_event":
            return case.route_events.get()
        return person.identifiers.get()
    if kind == "export":
        from quipu.intake.models import ExportJob

        # Requested by someone outside the matrix: nobody else may reach it.
        from quipu.tenancy.models import Membership, MembershipRole

        requester, _ = User.objects.get_or_create(username=f"exporter.{country.lower()}")
        membership, _ = Membership.objects.get_or_create(
            user=requester, institution=Institution.objects.get(code=f"{country}-PROSECUTOR")
        )
        MembershipRole.objects.get_or_create(membership=membership, role="prosecutor")
        return ExportJob.objects.get_or_create(requested_by=requester, export_format="csv")[0]
    if kind == "import":
        from quipu.intake.models import ImportJob

        owner = Institution.objects.get(code=f"{country}-POLICE")
        return ImportJob.objects.get_or_create(owner=owner, file_name=f"{country}-import.csv")[0]
    if kind == "notice_side":
        return _notice_side(country)
    if kind in RECORDS:
        return RECORDS[kind](country)
    if kind == "user":
        return User.objects.get(username=f"analyst.{country.lower()}")
    if kind == "institution":
        return Institution.objects.get(code=f"{country}-POLICE")
    return Country.objects.get(code=country)


def _notice_side(country: str):
    """The country's side of a notice with its neighbour (no encodings needed to review)."""
    from quipu.linkage.models import LinkRun, MatchNotice
    from quipu.tenancy.models import Institution

    low = 1000 + 2 * REGIONAL_PLATFORM.index(country)
    run = LinkRun.objects.get_or_create(kind="full", key_id="matrix")[0]
    notice, created = MatchNotice.objects.get_or_create(
        encoding_low=low,
        encoding_high=low + 1,
        defaults={"match_probability": 0.97, "first_run": run, "last_run": run},
    )
    if created:
        for encoding_id, owner in ((low, country), (low + 1, _neighbour(country))):
            notice.sides.create(
                encoding_id=encoding_id, institution=Institution.objects.get(code=f"{owner}-POLICE")
            )
    return notice.sides.get(encoding_id=low)


def _allowed(route: Route, role: str | None) -> bool:
    if route.who == PUBLIC:
        return True
    if role is None:
        return False
    return route.who == ANY or role in route.who


def _forbidden_answer(response, role: str | None) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    location = response.get("Location", "")
    to_login = "/accounts/login/" in location or "/admin/login/" in location
    to_admin_index = location == "/admin/"  # the admin's answer to a stray sign-out
    return role is None and response.status_code == 302 and (to_login or to_admin_index)


def _requests_for(route_name: str, route: Route, country: str | None):
    """(url, record's country or None) pairs: for record routes, one own and one foreign."""
    if not route.obj:
        yield reverse(route_name, kwargs=route.kwargs), None
        return
    home = country or "CO"
    for owner in (home, _neighbour(home)):
        record = _record(route.obj, owner)
        yield reverse(route_name, args=[record.pk, *route.kwargs.values()]), (owner, record)


PRINCIPALS = [("secretariat", None), (None, None)] + [
    (role, country) for role in COUNTRY_ROLES for country in REGIONAL_PLATFORM
]


@pytest.mark.parametrize(
    ("role", "country"),
    PRINCIPALS,
    ids=[f"{r or 'anonymous'}-{c or 'region'}" for r, c in PRINCIPALS],
)
def test_rule1_route_answers_match_the_role_and_country(client, region, role, country):
    if role == "secretariat":
        client.force_login(region.user("secretariat"))
    elif role is not None:
        client.force_login(region.user(f"{USERNAME[role]}.{country.lower()}"))
    failures = []
    for route_name, route in ROUTES.items():
        for url, owned in _requests_for(route_name, route, country):
            response = client.get(url)
            code = response.status_code
            foreign = owned is not None and country is not None and owned[0] != country
            allowed = _allowed(route, role) and not foreign
            if code >= 500:
                failures.append(f"{url}: {code}")
            elif allowed and code not in route.ok:
                failures.append(f"{url}: expected {route.ok}, got {code}")
            elif not allowed and not _forbidden_answer(response, role):
                failures.append(f"{url}: expected forbidden, got {code}")
            elif foreign and route.obj != "country" and code != 302:
                # Another country's record must not show through the refusal.
                record = owned[1]
                marker = (
                    getattr(record, "username", None)
                    or getattr(record, "code", None)
                    or getattr(record, "reference", None)
                    or getattr(record, "first_name", None)  # a person
                    or getattr(record, "file_name", "")
                )
                if marker and marker.encode() in response.content:
                    failures.append(f"{url}: a forbidden answer shows the record")
    assert not failures, "\n".join(failures)

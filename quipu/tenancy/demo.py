"""Demo region: the Regional Platform's ten member states, their institutions and demo users.

Deterministic (seeded Faker) and idempotent: running it again changes nothing.
"""

import zlib

import phonenumbers
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _
from faker import Faker

from quipu.tenancy.countries import REGIONAL_PLATFORM, countries_sync
from quipu.tenancy.models import (
    Country,
    Institution,
    InstitutionKind,
    Membership,
    MembershipRole,
    User,
)
from quipu.tenancy.roles import Role

DEMO_PASSWORD = "quipu-demo-2026"  # noqa: S105 - documented in README for the demo only

FAKER_LOCALE = {
    "AR": "es_AR",
    "BO": "es",
    "BR": "pt_BR",
    "CL": "es_CL",
    "CO": "es_CO",
    "EC": "es",
    "PY": "es",
    "PE": "es",
    "UY": "es",
    "VE": "es",
}

# The national bodies, by their public names.
NATIONAL_BODIES = {
    "AR": (
        "Ministerio de Justicia y Derechos Humanos",
        "Policía Federal Argentina",
        "Procuraduría de Trata y Explotación de Personas (PROTEX)",
    ),
    "BO": ("Ministerio de Gobierno", "Policía Boliviana", "Fiscalía General del Estado"),
    "BR": (
        "Ministério da Justiça e Segurança Pública",
        "Polícia Federal",
        "Ministério Público Federal",
    ),
    "CL": ("Ministerio del Interior", "Policía de Investigaciones de Chile", "Fiscalía Nacional"),
    "CO": (
        "Ministerio del Interior",
        "Policía Nacional de Colombia",
        "Fiscalía General de la Nación",
    ),
    "EC": (
        "Ministerio de la Mujer y Derechos Humanos",
        "Policía Nacional del Ecuador",
        "Fiscalía General del Estado",
    ),
    "PY": ("Ministerio de la Mujer", "Policía Nacional del Paraguay", "Ministerio Público"),
    "PE": ("Ministerio del Interior", "Policía Nacional del Perú", "Ministerio Público"),
    "UY": ("Ministerio de Desarrollo Social", "Policía Nacional", "Fiscalía General de la Nación"),
    "VE": (
        "Ministerio del Poder Popular para Relaciones Interiores",
        "Cuerpo de Investigaciones Científicas, Penales y Criminalísticas",
        "Ministerio Público",
    ),
}

# Each state keeps a consulate in a neighbour along a common route.
CONSULATE_HOST = {
    "VE": "CO",
    "CO": "EC",
    "EC": "PE",
    "PE": "CL",
    "CL": "AR",
    "AR": "BO",
    "BO": "BR",
    "BR": "PY",
    "PY": "AR",
    "UY": "BR",
}

ROLE_HOME = {
    Role.FOCAL_POINT: "MINISTRY",
    Role.CASEWORKER: "POLICE",
    Role.PROSECUTOR: "PROSECUTOR",
    Role.CONSULAR_OFFICER: "CONSULATE",
    Role.ANALYST: "MINISTRY",
}

USERNAME_PREFIX = {
    Role.FOCAL_POINT: "focal",
    Role.CASEWORKER: "caseworker",
    Role.PROSECUTOR: "prosecutor",
    Role.CONSULAR_OFFICER: "consul",
    Role.ANALYST: "analyst",
}


def _faker(country: str, salt: str) -> Faker:
    fake = Faker(FAKER_LOCALE[country])
    fake.seed_instance(zlib.crc32(f"{country}:{salt}".encode()))
    return fake


def _contact_phone(country: str, fake: Faker) -> str:
    """A valid landline of the institution's own country (Faker's locales for VE, PY and the
    like are Spain's or Argentina's, so their numbers would carry another country's code)."""
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.FIXED_LINE)
    national = str(example.national_number)
    for _attempt in range(20):
        candidate = phonenumbers.PhoneNumber(
            country_code=example.country_code,
            national_number=int(national[:-4] + fake.numerify("####")),
        )
        if phonenumbers.is_valid_number(candidate):
            example = candidate
            break
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _institution(code: str, **fields) -> Institution:
    institution, _ = Institution.objects.update_or_create(code=code, defaults=fields)
    return institution


def _national_institutions(country: Country) -> dict[str, Institution]:
    cc = country.code
    ministry, police, prosecutor = NATIONAL_BODIES[cc]
    portuguese = cc == "BR"
    fake = _faker(cc, "ngo")
    host = Country.objects.get(code=CONSULATE_HOST[cc])
    domain = f"demo.{cc.lower()}.quipu.example"
    shelter_name = (
        f"Associação {fake.last_name()} de Apoio a Vítimas"
        if portuguese
        else f"Fundación {fake.last_name()} de Apoyo a Víctimas"
    )
    consulate_name = (
        f"Consulado-Geral do Brasil em {host.name_pt}"
        if portuguese
        else f"Consulado de {country.name_es} en {host.name_es}"
    )
    helpline_name = (
        "Disque 100 — Direitos Humanos"
        if portuguese
        else f"Línea nacional contra la trata — {country.name_es}"
    )
    specs = {
        "MINISTRY": (
            f"{ministry} — Punto focal nacional"
            if not portuguese
            else f"{ministry} — Ponto focal nacional",
            InstitutionKind.MINISTRY,
            None,
        ),
        "POLICE": (police, InstitutionKind.POLICE, None),
        "PROSECUTOR": (prosecutor, InstitutionKind.PROSECUTOR, None),
        "CONSULATE": (consulate_name, InstitutionKind.CONSULATE, host),
        "SHELTER": (shelter_name, InstitutionKind.NGO, None),
        "HELPLINE": (helpline_name, InstitutionKind.HELPLINE, None),
    }
    institutions = {}
    for key, (name, kind, located_in) in specs.items():
        code = f"{cc}-{key}" if key != "CONSULATE" else f"{cc}-CONSULATE-{host.code}"
        institutions[key] = _institution(
            code,
            name=name,
            kind=kind,
            country=country,
            located_in=located_in,
            email=f"{key.lower()}@{domain}",
            phone=_contact_phone(cc, fake),
            is_active=True,
        )
    return institutions


def _demo_user(username: str, institution: Institution, role: Role, fake: Faker) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        # Hashing with argon2 is slow on purpose: only new users get a password.
        user = User.objects.create(
            username=username,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            email=f"{username}@quipu.example",
            password=make_password(DEMO_PASSWORD),
        )
    membership, _ = Membership.objects.update_or_create(
        user=user, defaults={"institution": institution}
    )
    MembershipRole.objects.get_or_create(membership=membership, role=role)
    return user


def demo_build(*, stdout) -> None:
    countries_sync(Country)
    Country.objects.filter(code__in=REGIONAL_PLATFORM).update(is_member=True)
    secretariat = _institution(
        "REGIONAL-SECRETARIAT",
        name="Secretaría Técnica de la Plataforma Regional contra la Trata y el Tráfico",
        kind=InstitutionKind.SECRETARIAT,
        country=None,
        email="secretaria@regional.quipu.example",
    )
    # Pooled, multi-country datasets (CTDC's files) belong to this regional body, never to a
    # national institution: imports check it (quipu/intake/shares.py).
    _institution(
        "IOM",
        name="IOM — Counter-Trafficking Data Collaborative (CTDC)",
        kind=InstitutionKind.INTERNATIONAL,
        country=None,
        email="ctdc@iom.quipu.example",
    )
    _demo_user("secretariat", secretariat, Role.SECRETARIAT, _faker("PE", "secretariat"))
    for cc in REGIONAL_PLATFORM:
        institutions = _national_institutions(Country.objects.get(code=cc))
        for role, prefix in USERNAME_PREFIX.items():
            _demo_user(
                f"{prefix}.{cc.lower()}", institutions[ROLE_HOME[role]], role, _faker(cc, prefix)
            )
    stdout.write(
        _("Demo region: %(states)s member states, %(institutions)s institutions, %(users)s users.")
        % {
            "states": len(REGIONAL_PLATFORM),
            "institutions": Institution.objects.count(),
            "users": User.objects.count(),
        }
    )

"""ISO 3166-1 countries from pycountry, with their names in Spanish, Portuguese and English."""

import gettext

import pycountry

# The ten member states of the Regional Platform against TIP and SOM.
REGIONAL_PLATFORM = ("AR", "BO", "BR", "CL", "CO", "EC", "PY", "PE", "UY", "VE")


def _translator(language: str):
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])


def country_rows() -> list[dict]:
    spanish, portuguese = _translator("es"), _translator("pt_BR")
    rows = []
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        rows.append(
            {
                "code": country.alpha_2,
                "alpha3": country.alpha_3,
                "name_en": english,
                "name_es": spanish.gettext(english),
                "name_pt": portuguese.gettext(english),
            }
        )
    return rows


def countries_sync(country_model) -> int:
    """Create or refresh every ISO 3166-1 country; returns how many there are."""
    rows = country_rows()
    existing = set(country_model.objects.values_list("code", flat=True))
    country_model.objects.bulk_create(
        [country_model(**row) for row in rows if row["code"] not in existing]
    )
    for row in rows:
        if row["code"] in existing:
            country_model.objects.filter(code=row["code"]).update(**row)
    return len(rows)


def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code (Namibia's NA included: it is a country, not 'missing')."""
    return _CODES


_CODES = frozenset(country.alpha_2 for country in pycountry.countries)

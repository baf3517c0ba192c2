"""ISO 3166-1 countries from pycountry, with their names in Spanish, Portuguese and English."""

import gettext
import unicodedata
from functools import lru_cache

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


_NOT_NAME_WORDS = {"the", "of", "and"}
# Names still in common use that ISO 3166 has since changed.
_FORMER_NAMES = {"turkey": "TR", "holy see": "VA", "swaziland": "SZ", "macedonia": "MK"}


def _key(text: str) -> str:
    """Case, accents, punctuation, word order and "of the" do not matter: "Bolivia
    (Plurinational State of)" and "Bolivia, Plurinational State of" are one key."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(sorted(set(plain.split()) - _NOT_NAME_WORDS))


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    found: dict[str, str] = {}
    for row in country_rows():
        for text in (row["code"], row["alpha3"], row["name_en"], row["name_es"], row["name_pt"]):
            found.setdefault(_key(text), row["code"])
    for country in pycountry.countries:  # official names, such as HTCDS's picklist uses
        for text in (country.name, getattr(country, "official_name", "")):
            if text:
                found.setdefault(_key(text), country.alpha_2)
    for text, code in _FORMER_NAMES.items():
        found.setdefault(_key(text), code)
    return found


def country_for(text: str) -> str | None:
    """The alpha-2 code for a code (alpha-2 or alpha-3) or a name in es, pt or en; else None."""
    return _codes_by_name().get(_key(text)) if text.strip() else None

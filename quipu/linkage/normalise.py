"""Normalisation of names, dates, sex and identifiers into the forms the encoder hashes.

Everything here is plain and deterministic: the same input gives the same output on every
country's node, which is what lets keyed tokens and Bloom encodings meet at the hub.
Functions return None for input they cannot use; validation with messages belongs to intake.

Names are folded to ASCII capitals, particles (de, del, de la, da, dos, y, e...) are dropped,
and each word is reduced to a spelling key that makes Spanish and Portuguese spellings of the
same name equal (Luiz/Luis, Tereza/Teresa, Souza/Sousa, Thiago/Tiago): a rule set
(SPELLING_RULES) plus a small equivalence table (data/spellings.csv, e.g. Gonçalves/González).

Nicknames come from data/nicknames.csv: Spanish and Portuguese hypocorisms (Pepe and Zé for
José, Paco and Chico for Francisco, Lupe for Guadalupe...) and a few English ones, curated by
hand from common usage. No well-kept public list for Spanish or Portuguese is installable from
PyPI: the `nicknames` package (carltonnorthern/nicknames) covers English (US) names only.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import phonenumbers
from unidecode import unidecode

from quipu.tenancy.countries import country_for

DATA_DIR = Path(__file__).resolve().parent / "data"

# Particles join surnames ("de la Cruz", "da Silva", "Ortega y Gasset") but carry no identity.
PARTICLES = frozenset({"DE", "DEL", "DA", "DAS", "DO", "DOS", "Y", "E"})
# Articles are particles only after DE ("de la", "de los"); "La Rosa" keeps its LA.
ARTICLES = frozenset({"LA", "LAS", "LO", "LOS"})
# Generational suffixes are often left out abroad, so they never decide a match.
SUFFIXES = frozenset({"FILHO", "FILHA", "NETO", "NETA", "SOBRINHO", "SOBRINHA", "JUNIOR", "JR"})
TITLES = frozenset({"SR", "SRA", "SRTA", "DR", "DRA"})
# Words that follow "María de..." / "Maria do..." as part of a devotional given name.
DEVOTIONAL = frozenset(
    {"CARMEN", "CARMO", "LOURDES", "FATIMA", "DORES", "ANGELES", "PILAR", "ROSARIO", "SOCORRO"}
    | {"CONCEICAO", "LUZ", "MERCEDES", "JESUS", "GRACA", "GRACAS", "PENHA", "NAZARE", "GUADALUPE"}
    | {"PAZ", "BELEN", "AUXILIADORA", "REMEDIOS", "ASUNCION", "CONSOLACION", "MONTSERRAT"}
)

# Ordered rewrites from a folded word to its spelling key. They merge Spanish and Portuguese
# spellings and the commonest misspellings (b/v, seseo, silent h); the key is never shown.
SPELLING_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"CAO$", "CION"),  # -ção / -ción: Assunção, Asunción
        (r"AO$", "AN"),  # -ão / -án: Sebastião, Sebastián
        (r"PH", "F"),  # Raphael, Rafael
        (r"TH", "T"),  # Thiago, Tiago
        (r"LH", "L"),  # Carvalho, Carvallo (LL is collapsed below)
        (r"NH", "N"),  # Penha, Peña (Ñ is already N)
        (r"C(?=[EI])", "S"),  # seseo: Cecilia, Sesilia
        (r"Z", "S"),  # Luiz, Tereza, Souza, Pérez/Peres
        (r"G(?=[EI])", "J"),  # Gerónimo, Jerónimo
        (r"^X", "J"),  # Ximena, Jimena; Xavier, Javier
        (r"Y", "I"),  # Ysabel, Ferreyra
        (r"W", "V"),  # Wagner, Vagner
        (r"V", "B"),  # b/v sound the same in Spanish
        (r"K(?=[AOU])", "C"),  # Karina, Carina
        (r"(?<!C)H", ""),  # silent h: Helena, Elena; Jhon, John, Jon
        (r"([A-QS-Z])\1+", r"\1"),  # double letters (Mattos, Anna, Vanessa) except RR
    )
)

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "enero janeiro january",
            "febrero fevereiro february",
            "marzo marco march",
            "abril april",
            "mayo maio may",
            "junio junho june",
            "julio julho july",
            "agosto august",
            "septiembre setiembre setembro september",
            "octubre outubro october",
            "noviembre novembro november",
            "diciembre dezembro december",
        ),
        start=1,
    )
    for full in names.split()
    for name in (full, full[:3])
}
DATE_FILLERS = frozenset({"de", "del", "of", "the"})
UNKNOWN_PARTS = frozenset({"x", "xx", "xxxx", "?", "??", "????", "nd", "sd", "na"})


def fold(text: str) -> str:
    """ASCII capitals, with apostrophes removed and other punctuation turned into spaces."""
    text = unidecode(text or "").upper().replace("'", "").replace("`", "")
    return re.sub(r"[^A-Z]+", " ", text).strip()


@lru_cache(maxsize=2**16)
def spelling_key(word: str) -> str:
    """The key a single word is compared and encoded by: SPELLING_RULES, then the table."""
    key = _rules_only(word)
    return _spelling_table().get(key, key)


def _rules_only(word: str) -> str:
    key = fold(word).replace(" ", "")
    for pattern, replacement in SPELLING_RULES:
        key = pattern.sub(replacement, key)
    return key


@cache
def _spelling_table() -> dict[str, str]:
    """data/spellings.csv by rule-made key, so variants of the listed spellings match too."""
    with open(DATA_DIR / "spellings.csv", newline="", encoding="utf-8") as handle:
        return {
            _rules_only(row["variant"]): _rules_only(row["canonical"])
            for row in csv.DictReader(handle)
        }


@cache
def nickname_table() -> dict[str, tuple[str, ...]]:
    """Nickname spelling key -> spelling keys of the names it stands for (data/nicknames.csv)."""
    table: dict[str, tuple[str, ...]] = {}
    with open(DATA_DIR / "nicknames.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names = tuple(spelling_key(name) for name in row["names"].split("|"))
            nickname = spelling_key(row["nickname"])
            table[nickname] = tuple(dict.fromkeys(table.get(nickname, ()) + names))
    return table


@cache
def _known_given_names() -> frozenset[str]:
    lines = (DATA_DIR / "given_names.txt").read_text(encoding="utf-8").splitlines()
    names = {spelling_key(line) for line in lines if line.strip() and not line.startswith("#")}
    for canonicals in nickname_table().values():
        names.update(canonicals)
    return frozenset(names)


def given_name_key(word: str) -> str:
    """Spelling key of a given name, with an unambiguous nickname replaced by its name."""
    key = spelling_key(word)
    canonicals = nickname_table().get(key, ())
    return canonicals[0] if len(canonicals) == 1 else key


def given_name_forms(key: str) -> frozenset[str]:
    """Every name a given-name key may stand for: itself, plus all names of an ambiguous
    nickname (Beto: Alberto or Roberto)."""
    return frozenset((key, *nickname_table().get(key, ())))


@dataclass(frozen=True)
class NameParts:
    """A person's name as spelling keys; order as written, particles and suffixes dropped."""

    given: tuple[str, ...]
    surnames: tuple[str, ...]
    full_key: str  # order-free: sorted given names, "|", sorted surnames


def name_parts(full_name: str = "", *, given: str = "", surnames: str = "") -> NameParts:
    """Split and normalise a name: given names and surnames apart when the record has them
    apart (Person.first_name, middle_name, second_name), else one string ("SURNAMES, GIVEN"
    is understood)."""
    if not (given or surnames) and "," in full_name:
        surnames, _, given = full_name.partition(",")
    if given or surnames:
        given_words, surname_words = _words(given), _words(surnames)
    else:
        given_words, surname_words = _split_full_name(full_name)
    given_keys = tuple(given_name_key(word) for word in given_words)
    surname_keys = tuple(spelling_key(word) for word in surname_words)
    full_key = " ".join(sorted(given_keys)) + "|" + " ".join(sorted(surname_keys))
    return NameParts(given=given_keys, surnames=surname_keys, full_key=full_key)


def _words(text: str) -> list[str]:
    """Folded words without particles, titles, suffixes or initials."""
    words = fold(text).split()
    kept = []
    for index, word in enumerate(words):
        if word in PARTICLES or word in TITLES or word in SUFFIXES or len(word) == 1:
            continue
        if word in ARTICLES and index and words[index - 1] == "DE":
            continue
        kept.append(word)
    return kept


def _split_full_name(full_name: str) -> tuple[list[str], list[str]]:
    """Guess where the given names end in a name written as one string."""
    words = fold(full_name).split()
    # "María del Carmen López", "Maria das Dores Silva": the particle is inside the given name.
    if len(words) > 2 and words[1] in PARTICLES:
        rest = words[3:] if words[2] in ARTICLES else words[2:]
        if rest and rest[0] in DEVOTIONAL:
            return [words[0], rest[0]], _words(" ".join(rest[1:]))
    # Otherwise a particle after the first word starts the surnames ("João da Silva Santos").
    cut = next((i for i, word in enumerate(words) if i and word in PARTICLES), len(words))
    head, tail = _words(" ".join(words[:cut])), _words(" ".join(words[cut:]))
    if not tail and len(head) <= 1:
        return head, []
    # The given names are the first word and the known given names after it, leaving at least
    # one surname; four or more words are read as two given names and the surnames.
    last = len(head) if tail else len(head) - 1
    known = _known_given_names()
    split = 1
    while split < last and given_name_key(head[split]) in known:
        split += 1
    if len(head) + len(tail) >= 4 and last >= 2:
        split = max(split, 2)
    return head[:split], head[split:] + tail


def paternal_surname(name: NameParts, *, convention: str = "es") -> str | None:
    """The surname from the father: first in Spanish use, last in Portuguese ("pt")."""
    if not name.surnames:
        return None
    return name.surnames[-1] if convention == "pt" else name.surnames[0]


def names_compatible(a: NameParts | str, b: NameParts | str) -> bool:
    """True when one name can be the other shortened (a dropped second given name or maternal
    surname), reordered, respelt or nicknamed. Needs a given name and a surname in common."""
    first = a if isinstance(a, NameParts) else name_parts(a)
    second = b if isinstance(b, NameParts) else name_parts(b)
    short, long = sorted((first, second), key=lambda n: len(n.given) + len(n.surnames))
    unused = [(key, "given") for key in long.given] + [(key, "surname") for key in long.surnames]
    roles_matched = set()
    wanted = [(key, "given") for key in short.given] + [(key, "surname") for key in short.surnames]
    for key, role in wanted:
        # Prefer a partner in the same role, since a one-string name may be split wrongly.
        candidates = sorted(unused, key=lambda item, role=role: item[1] != role)
        partner = next((item for item in candidates if _same_name(key, item, role)), None)
        if partner is None:
            return False
        unused.remove(partner)
        if partner[1] == role:
            roles_matched.add(role)
    return roles_matched == {"given", "surname"}


def _same_name(key: str, partner: tuple[str, str], role: str) -> bool:
    if key == partner[0]:
        return True
    both_given = role == partner[1] == "given"
    return both_given and bool(given_name_forms(key) & given_name_forms(partner[0]))


class PartialDate(NamedTuple):
    """A date with None for each unknown part."""

    year: int | None
    month: int | None
    day: int | None


def parse_date(value: str | date | None, *, day_first: bool = True) -> PartialDate | None:
    """Read a full or partial date: YYYYMMDD, DD/MM/YYYY, YYYY-MM-DD, YYYY-MM, MM/YYYY, YYYY,
    "12 de mayo de 1990", "May 12, 1990"; 00, XX or ?? mark an unknown part. Day-first unless
    told otherwise, but 05/25/1990 can only be month-first."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    text = unidecode(str(value)).strip().lower()
    text = re.sub(r"[t ]\d{1,2}:\d{2}.*$", "", text)  # time of day
    text = re.sub(r"(\d)(st|nd|rd|th|o|a|ro|er)\b", r"\1", text)  # 1st, 1º, 1ro
    words = [w for w in re.split(r"[\s/.\-,]+", text) if w and w not in DATE_FILLERS]
    if len(words) == 1 and words[0].isdigit():
        return _compact_date(words[0])
    month_word = next((w for w in words if w in MONTHS), None)
    numbers = [w for w in words if w != month_word]
    if any(not (w.isdigit() or w in UNKNOWN_PARTS) for w in numbers):
        return None
    if month_word is not None:
        if len(numbers) not in (1, 2):
            return None
        if len(numbers) == 1:  # "mayo 1990" or "12 de mayo"
            year_word, day_word = (numbers[0], None) if len(numbers[0]) == 4 else (None, numbers[0])
        else:  # "12 de mayo de 1990", "May 12, 1990", "1990 May 12"
            day_word, year_word = numbers[::-1] if len(numbers[0]) == 4 else numbers
        return _checked(year_word, MONTHS[month_word], day_word)
    if len(numbers) == 3:
        if len(numbers[0]) == 4:
            return _checked(numbers[0], numbers[1], numbers[2])
        if day_first:
            day_word, month_part, year_word = numbers
        else:
            month_part, day_word, year_word = numbers
        if _number(month_part) and _number(month_part) > 12 and (_number(day_word) or 0) <= 12:
            day_word, month_part = month_part, day_word
        return _checked(year_word, month_part, day_word)
    if len(numbers) == 2:
        if len(numbers[0]) == 4:
            return _checked(numbers[0], numbers[1], None)
        return _checked(numbers[1], numbers[0], None)
    return None


def _compact_date(digits: str) -> PartialDate | None:
    if len(digits) == 8 and 1800 <= int(digits[:4]) <= 2100:
        return _checked(digits[:4], digits[4:6], digits[6:])
    if len(digits) == 8:
        return _checked(digits[4:], digits[2:4], digits[:2])  # DDMMYYYY
    if len(digits) == 6 and 1800 <= int(digits[:4]) <= 2100:
        return _checked(digits[:4], digits[4:], None)
    if len(digits) == 4:
        return _checked(digits, None, None)
    return None


def _number(word: str | int | None) -> int | None:
    if isinstance(word, int):
        return word
    if word is None or not word.isdigit() or int(word) == 0:
        return None  # unknown part: missing, 00, XX, ??
    return int(word)


def _checked(
    year_word: str | None, month_word: str | int | None, day_word: str | None
) -> PartialDate | None:
    year, month, day = _number(year_word), _number(month_word), _number(day_word)
    if year is not None and year_word is not None and len(year_word) == 2:
        pivot = date.today().year % 100  # two-digit years of birth: never in the future
        year += 2000 if year <= pivot else 1900
    if year is not None and not 1800 <= year <= 2100:
        return None
    if (month is not None and month > 12) or (day is not None and day > 31):
        return None
    if day is not None and month is not None:
        try:
            date(year or 2000, month, day)  # 2000 is a leap year: 29 February stays possible
        except ValueError:
            return None
    if year is None and month is None and day is None:
        return None
    return PartialDate(year, month, day)


def dates_agree(a: PartialDate | None, b: PartialDate | None, *, allow_swap: bool = True) -> bool:
    """True when no part known in both dates differs and at least one is compared; with
    allow_swap, day and month may be swapped (05/12 against 12/05)."""
    if a is None or b is None:
        return False
    if _parts_agree(a, b):
        return True
    return bool(
        allow_swap and b.day and b.month and _parts_agree(a, b._replace(month=b.day, day=b.month))
    )


def _parts_agree(a: PartialDate, b: PartialDate) -> bool:
    compared = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    return bool(compared) and all(x == y for x, y in compared)


def sex_code(value: str | None) -> str | None:
    """F or M from the HTCDS gender codes or words in es, pt or en; None when not stated."""
    word = fold(value or "").replace(" ", "")
    if word in {"F", "FEMININE", "FEMALE", "FEMENINO", "FEMININO", "MUJER", "MULHER", "WOMAN"}:
        return "F"
    if word in {"M", "MASCULINE", "MALE", "MASCULINO", "HOMBRE", "HOMEM", "MAN", "VARON"}:
        return "M"
    return None  # transgender and unknown codes: no token rather than a guess


def country_code(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 from an alpha-2 or alpha-3 code, or a country's name."""
    return country_for(value or "")


def phone_e164(number: str | None, *, default_region: str | None = None) -> str | None:
    """E.164 (+573001234567); a national number needs the default region it was dialled in."""
    try:
        parsed = phonenumbers.parse(number or "", country_code(default_region))
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class DocumentNumber(NamedTuple):
    """A document number is only meaningful with the country that issued it."""

    country: str  # ISO 3166-1 alpha-2
    number: str


def document_number(number: str | None, country: str | None) -> DocumentNumber | None:
    """Letters and digits only, in capitals, paired with the issuing country."""
    issuing = country_code(country)
    cleaned = re.sub(r"[^A-Z0-9]", "", unidecode(number or "").upper())
    if cleaned.isdigit():
        cleaned = cleaned.lstrip("0")  # registers that store numbers as integers drop them
    if not issuing or not cleaned:
        return None
    return DocumentNumber(issuing, cleaned)


def email_address(value: str | None) -> str | None:
    """Lower case, without a +tag; Gmail also ignores dots in the local part."""
    local, at, domain = (value or "").strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if not at or not local or "." not in domain:
        return None
    if domain in {"gmail.com", "googlemail.com"}:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def social_handle(value: str | None) -> str | None:
    """A handle without @ or profile address, lower case (platforms ignore case)."""
    text = (value or "").strip().lower().rstrip("/")
    text = re.sub(r"^(https?://)?(www\.)?[a-z0-9.-]+\.[a-z]{2,}/", "", text)
    text = text.split("?", 1)[0].rsplit("/", 1)[-1].lstrip("@")
    return text or None


def compact_code(value: str | None, country: str | None = None) -> str | None:
    """Bank account or plate: letters and digits in capitals, after the country if known."""
    cleaned = re.sub(r"[^A-Z0-9]", "", unidecode(value or "").upper())
    if not cleaned:
        return None
    issuing = country_code(country)
    return f"{issuing}:{cleaned}" if issuing else cleaned


def identifier_value(
    kind: str, value: str | None, *, country: str | None = None, default_region: str | None = None
) -> str | None:
    """The normalised text of an identifier (kinds as in the identifier_kind vocabulary)."""
    if kind == "document":
        document = document_number(value, country)
        return f"{document.country}:{document.number}" if document else None
    if kind == "phone":
        return phone_e164(value, default_region=default_region or country)
    if kind == "email":
        return email_address(value)
    if kind == "social_handle":
        return social_handle(value)
    if kind in {"bank_account", "plate"}:
        return compact_code(value, country)
    raise ValueError(f"unknown identifier kind: {kind}")

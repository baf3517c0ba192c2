"""Realistic noisy cross-border record pairs with known truth, for tests and the benchmark.

Each true pair is one person recorded by two countries on a migration corridor; both records
are noisy copies of the person, drawn independently, with every variation normalise.py has to
undo (accents and case, double surnames and a dropped maternal surname, particles, given-name
order, nicknames, Spanish/Portuguese spellings, partial dates and day/month swaps, phone formats,
document punctuation) plus what it cannot undo (typos, missing fields, transliteration of
Andean names, a wrong digit in a date). Unmatched records include siblings (same surnames,
close birth year) and namesakes, the hard negatives of real registers. Deterministic by seed.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import phonenumbers
from faker.providers.person.es_CO import Provider as SpanishNames
from faker.providers.person.pt_BR import Provider as PortugueseNames

from quipu.linkage.normalise import DATA_DIR

FIELDS = (
    "id",
    "country",
    "given_name",
    "surname",
    "full_name",
    "date_of_birth",
    "sex",
    "document_number",
    "document_country",
    "phone",
    "email",
)
# Origin -> countries where its nationals are found (the region's main corridors).
CORRIDORS = {
    "VE": ("CO", "PE", "EC", "CL", "BR", "AR"),
    "CO": ("EC", "PE", "CL", "AR"),
    "PE": ("CL", "AR", "BO", "EC"),
    "BO": ("AR", "BR", "CL", "PE"),
    "PY": ("AR", "BR"),
    "EC": ("PE", "CO", "CL"),
    "BR": ("PE", "PY", "AR"),
    "HT": ("BR", "CL"),
}
ORIGIN_WEIGHTS = {"VE": 40, "CO": 12, "PE": 10, "BO": 10, "PY": 8, "EC": 8, "BR": 7, "HT": 5}
ANDEAN_SURNAMES = [
    "Quispe",
    "Mamani",
    "Condori",
    "Huamán",
    "Choque",
    "Apaza",
    "Ccallo",
    "Huanca",
    "Chambi",
    "Yupanqui",
    "Ticona",
    "Cusi",
    "Poma",
    "Villca",
    "Colque",
    "Chura",
    "Huarachi",
    "Quisbert",
    "Achá",
    "Guamán",
    "Pillco",
    "Tupac",
    "Illanes",
    "Mayta",
]
ANDEAN_GIVEN = {
    True: [
        "Yesenia",
        "Roxana",
        "Nilda",
        "Marleny",
        "Yanet",
        "Maribel",
        "Rosa",
        "Elvira",
        "Luzmila",
        "Sonia",
    ],
    False: [
        "Wilmer",
        "Edwin",
        "Percy",
        "Jhon",
        "Wilber",
        "Freddy",
        "Rene",
        "Hilario",
        "Teodoro",
        "Yony",
    ],
}
HAITIAN = {
    "given": {
        True: ["Marie", "Rose", "Nadège", "Guerline", "Islande", "Fabienne", "Mirlande"],
        False: ["Jean", "Pierre", "Wilner", "Jacques", "Fritznel", "Evens", "Jackson"],
    },
    "surnames": [
        "Jean-Baptiste",
        "Pierre",
        "Joseph",
        "Louis",
        "Charles",
        "Saint-Fleur",
        "Dorvil",
        "Etienne",
    ],
}
PARTICLES = {"es": ("de", "del", "de la"), "pt": ("da", "dos", "de", "das")}
MONTHS = {
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "pt": [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
}
SEX_WORDS = {
    "es": {"F": ("F", "Femenino", "femenino", "MUJER"), "M": ("M", "Masculino", "HOMBRE")},
    "pt": {"F": ("F", "Feminino", "Mulher"), "M": ("M", "Masculino", "Homem")},
}
# Spanish <-> Portuguese spellings and the common misspellings normalise.py folds together.
SPELLING_SWAPS = (
    ("z", "s"),
    ("s", "z"),
    ("ll", "lh"),
    ("lh", "ll"),
    ("ñ", "nh"),
    ("nh", "ñ"),
    ("ción", "ção"),
    ("ção", "ción"),
    ("ph", "f"),
    ("th", "t"),
    ("y", "i"),
    ("v", "b"),
    ("b", "v"),
    ("ss", "s"),
)
# Andean names written by ear in another country's register.
TRANSLITERATIONS = (
    ("hua", "wa"),
    ("hua", "gua"),
    ("gua", "hua"),
    ("qui", "ki"),
    ("cc", "c"),
    ("ch", "sh"),
    ("ni", "ny"),
    ("-", " "),
    ("ü", "u"),
    ("x", "j"),
)
KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


@dataclass(frozen=True)
class Person:
    """The truth a record is a noisy copy of."""

    language: str  # "es" or "pt": naming and date conventions of the nationality
    female: bool
    given: tuple[str, ...]
    surnames: tuple[str, ...]  # as registered: paternal first in es, last in pt
    particle: str  # before the surnames ("de la Cruz"), or ""
    birth: date
    nationality: str
    document: str
    phone: str
    email: str


@dataclass(frozen=True)
class NoisyData:
    left: list[dict[str, str]]
    right: list[dict[str, str]]
    truth: frozenset[tuple[str, str]]  # (left id, right id) of the same person


@dataclass(frozen=True)
class Noise:
    """Per-record rates; both records of a pair draw their own noise."""

    uppercase: float = 0.35
    no_accents: float = 0.3
    drop_maternal: float = 0.2
    drop_particle: float = 0.5
    swap_given: float = 0.07
    drop_second_given: float = 0.15
    nickname: float = 0.05
    spelling: float = 0.15
    typo: float = 0.2
    transliteration: float = 0.05
    full_name_only: float = 0.4
    surname_first: float = 0.3
    partial_date: float = 0.08
    missing_date: float = 0.06
    swapped_date: float = 0.04
    wrong_date: float = 0.04
    missing_sex: float = 0.08
    wrong_sex: float = 0.01
    document: float = 0.4
    phone: float = 0.35
    new_phone: float = 0.3
    email: float = 0.12


def noisy_pairs(
    pairs: int = 2000, *, unmatched: int = 1000, seed: int = 0, noise: Noise | None = None
) -> NoisyData:
    """`pairs` people recorded on both sides and `unmatched` records on each side without a
    partner (a fifth of them siblings or namesakes of someone on the other side)."""
    rng = random.Random(seed)
    noise = noise or Noise()
    left: list[tuple[dict[str, str], int | None]] = []
    right: list[tuple[dict[str, str], int | None]] = []
    people = [_person(rng) for _ in range(pairs)]
    for number, person in enumerate(people):
        first, second = rng.sample(_countries_of(person), 2)
        left.append((_record(rng, person, first, noise), number))
        right.append((_record(rng, person, second, noise), number))
    for side in (left, right):
        for _ in range(unmatched):
            roll = rng.random()
            if roll < 0.12 and people:
                person = _sibling(rng, rng.choice(people))
            elif roll < 0.2 and people:
                person = _namesake(rng, rng.choice(people))
            else:
                person = _person(rng)
            side.append((_record(rng, person, rng.choice(_countries_of(person)), noise), None))
    truth_left: dict[int, str] = {}
    truth: set[tuple[str, str]] = set()
    for prefix, side in (("L", left), ("R", right)):
        rng.shuffle(side)
        for index, (row, number) in enumerate(side, start=1):
            row["id"] = f"{prefix}{index:06d}"
            if number is None:
                continue
            if prefix == "L":
                truth_left[number] = row["id"]
            else:
                truth.add((truth_left[number], row["id"]))
    return NoisyData(
        left=[row for row, _ in left], right=[row for row, _ in right], truth=frozenset(truth)
    )


def csv_write(rows: Sequence[dict[str, str]], path: Path) -> Path:
    """The rows as a UTF-8 CSV with the standard field names as its header."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return path


# --- people ----------------------------------------------------------------------------------


def _person(rng: random.Random) -> Person:
    nationality = _weighted(rng, ORIGIN_WEIGHTS)
    female = rng.random() < 0.63  # share of women and girls among detected victims
    language = "pt" if nationality == "BR" else "es"
    given_count = 2 if rng.random() < 0.55 else 1
    given = tuple(dict.fromkeys(_given(rng, nationality, female) for _ in range(given_count)))
    surnames = (_surname(rng, nationality), _surname(rng, nationality))
    particle = rng.choice(PARTICLES[language]) if rng.random() < 0.08 else ""
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 48))
    return Person(
        language=language,
        female=female,
        given=given,
        surnames=surnames,
        particle=particle,
        birth=birth,
        nationality=nationality,
        document=_document(rng, nationality),
        phone=_phone(rng, nationality),
        email=_email(rng, given, surnames, birth),
    )


def _sibling(rng: random.Random, person: Person) -> Person:
    """Same parents: same surnames and nationality, another name, a close birth date."""
    female = rng.random() < 0.5
    given = (_given(rng, person.nationality, female),)
    years = rng.choice([-1, 1]) * rng.randint(1, 8)
    birth = person.birth + timedelta(days=365 * years + rng.randint(-150, 150))
    return Person(
        **{
            **person.__dict__,
            "female": female,
            "given": given,
            "birth": birth,
            "document": _document(rng, person.nationality),
            "phone": _phone(rng, person.nationality),
            "email": _email(rng, given, person.surnames, birth),
        }
    )


def _namesake(rng: random.Random, person: Person) -> Person:
    """Same given name and paternal surname, otherwise a stranger."""
    stranger = _person(rng)
    surnames = (person.surnames[0], stranger.surnames[1])
    return Person(**{**stranger.__dict__, "given": person.given[:1], "surnames": surnames})


def _countries_of(person: Person) -> list[str]:
    return [person.nationality, *CORRIDORS[person.nationality]]


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@cache
def _pool(source: str, kind: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
    provider = {"es": SpanishNames, "pt": PortugueseNames}[source]
    names = getattr(provider, kind)
    if isinstance(names, dict):
        return tuple(names), tuple(names.values())
    return tuple(names), tuple(1.0 for _ in names)


def _given(rng: random.Random, nationality: str, female: bool) -> str:
    if nationality == "HT":
        return rng.choice(HAITIAN["given"][female])
    if nationality in {"PE", "BO", "EC"} and rng.random() < 0.25:
        return rng.choice(ANDEAN_GIVEN[female])
    source = "pt" if nationality == "BR" else "es"
    names, weights = _pool(source, "first_names_female" if female else "first_names_male")
    return rng.choices(names, weights=weights)[0]


def _surname(rng: random.Random, nationality: str) -> str:
    if nationality == "HT":
        return rng.choice(HAITIAN["surnames"])
    if nationality in {"PE", "BO", "EC"} and rng.random() < 0.4:
        return rng.choice(ANDEAN_SURNAMES)
    names, weights = _pool("pt" if nationality == "BR" else "es", "last_names")
    return rng.choices(names, weights=weights)[0]


def _document(rng: random.Random, nationality: str) -> str:
    length = {"BR": 11, "EC": 10, "CO": 10, "VE": 8, "CL": 9, "BO": 7, "PY": 7}.get(nationality, 8)
    return str(rng.randint(10 ** (length - 1), 10**length - 1))


@cache
def _mobile_prefix(country: str) -> tuple[int, str]:
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    return example.country_code, str(example.national_number)[:-6]


def _phone(rng: random.Random, country: str) -> str:
    """A mobile number in E.164: the country's example number with new last six digits."""
    code, head = _mobile_prefix(country)
    return f"+{code}{head}{rng.randrange(10**6):06d}"


def _email(rng: random.Random, given: tuple[str, ...], surnames: tuple[str, ...], born: date):
    local = f"{given[0]}.{surnames[0]}{born.year % 100:02d}".lower().replace(" ", "")
    return f"{local}@{rng.choice(['gmail.com', 'hotmail.com', 'yahoo.es', 'outlook.com'])}"


# --- records ---------------------------------------------------------------------------------


def _record(rng: random.Random, person: Person, country: str, noise: Noise) -> dict[str, str]:
    """One country's record of the person, drawn with its own noise."""
    given, surnames = _noisy_name(rng, person, noise)
    row = dict.fromkeys(FIELDS, "")
    row["country"] = country
    if rng.random() < noise.full_name_only:
        if rng.random() < noise.surname_first:
            row["full_name"] = f"{surnames}, {given}"
        else:
            row["full_name"] = f"{given} {surnames}"
    else:
        row["given_name"], row["surname"] = given, surnames
    row["date_of_birth"] = _noisy_date(rng, person, country, noise)
    if rng.random() >= noise.missing_sex:
        language = "pt" if country == "BR" else "es"
        female = person.female != (rng.random() < noise.wrong_sex)
        row["sex"] = rng.choice(SEX_WORDS[language]["F" if female else "M"])
    if rng.random() < noise.document:
        row["document_number"] = _punctuated(rng, person.document)
        row["document_country"] = person.nationality if rng.random() < 0.9 else ""
    if rng.random() < noise.phone:
        number = _phone(rng, country) if rng.random() < noise.new_phone else person.phone
        row["phone"] = _phone_format(rng, number, country)
    if rng.random() < noise.email:
        row["email"] = person.email.upper() if rng.random() < 0.2 else person.email
    return row


def _noisy_name(rng: random.Random, person: Person, noise: Noise) -> tuple[str, str]:
    given = list(person.given)
    surnames = list(person.surnames)
    if len(given) == 2 and rng.random() < noise.drop_second_given:
        given = given[:1]
    if len(given) == 2 and rng.random() < noise.swap_given:
        given.reverse()
    if rng.random() < noise.nickname:
        given[0] = _nickname(rng, given[0])
    if rng.random() < noise.drop_maternal:
        # The maternal surname is the second in Spanish use and the first in Portuguese.
        surnames = surnames[:1] if person.language == "es" else surnames[1:]
    if person.particle and rng.random() >= noise.drop_particle:
        surnames[0] = f"{person.particle} {surnames[0]}"
    words = given + surnames
    for chance, change in (
        (noise.spelling, _respelt),
        (noise.transliteration, _transliterated),
        (noise.typo, _typo),
        (noise.typo / 4, _typo),
    ):
        if rng.random() < chance:
            index = rng.randrange(len(words))
            words[index] = change(rng, words[index])
    given, surnames = words[: len(given)], words[len(given) :]
    text_given, text_surnames = " ".join(given), " ".join(surnames)
    if rng.random() < noise.no_accents:
        text_given, text_surnames = _unaccented(text_given), _unaccented(text_surnames)
    if rng.random() < noise.uppercase:
        text_given, text_surnames = text_given.upper(), text_surnames.upper()
    return text_given, text_surnames


@cache
def _nicknames() -> dict[str, tuple[str, ...]]:
    by_name: dict[str, list[str]] = {}
    with open(DATA_DIR / "nicknames.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for name in row["names"].split("|"):
                by_name.setdefault(_unaccented(name).lower(), []).append(row["nickname"])
    return {name: tuple(nicknames) for name, nicknames in by_name.items()}


def _nickname(rng: random.Random, name: str) -> str:
    options = _nicknames().get(_unaccented(name).lower())
    return rng.choice(options) if options else name


def _replace_one(rng: random.Random, word: str, swaps: Sequence[tuple[str, str]]) -> str:
    lower = word.lower()
    options = [(old, new) for old, new in swaps if old in lower]
    if not options:
        return word
    old, new = rng.choice(options)
    start = lower.index(old)
    replaced = lower[:start] + new + lower[start + len(old) :]
    return replaced.capitalize() if word[:1].isupper() else replaced


def _respelt(rng: random.Random, word: str) -> str:
    return _replace_one(rng, word, SPELLING_SWAPS)


def _transliterated(rng: random.Random, word: str) -> str:
    return _replace_one(rng, word, TRANSLITERATIONS)


def _typo(rng: random.Random, word: str) -> str:
    """One keyboard slip: a letter replaced, dropped, doubled or swapped with the next."""
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        letter = rng.choice(KEYBOARD)
        return word[:at] + (letter.upper() if word[at].isupper() else letter) + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at + 1 :]
    if kind == 2:
        return word[:at] + word[at] + word[at:]
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def _unaccented(text: str) -> str:
    table = str.maketrans("áéíóúâêôãõçüñÁÉÍÓÚÂÊÔÃÕÇÜÑèÈ", "aeiouaeoaocunAEIOUAEOAOCUNeE")
    return text.translate(table)


def _noisy_date(rng: random.Random, person: Person, country: str, noise: Noise) -> str:
    roll = rng.random()
    if roll < noise.missing_date:
        return ""
    born = person.birth
    year, month, day = born.year, born.month, born.day
    if rng.random() < noise.wrong_date:
        year, month, day = _wrong_date(rng, born)
    if roll < noise.missing_date + noise.partial_date:
        return rng.choice([f"{year}", f"{month:02d}/{year}", f"XX/{month:02d}/{year}"])
    if day <= 12 and rng.random() < noise.swapped_date / 0.4:  # only days <= 12 can swap
        day, month = month, day
    language = "pt" if country == "BR" else "es"
    formats: list[Callable[[], str]] = [
        lambda: f"{day:02d}/{month:02d}/{year}",
        lambda: f"{year}-{month:02d}-{day:02d}",
        lambda: f"{year}{month:02d}{day:02d}",
        lambda: f"{day}-{month}-{year}",
        lambda: f"{day} de {MONTHS[language][month - 1]} de {year}",
    ]
    return rng.choices(formats, weights=[5, 3, 2, 1, 1])[0]()


def _wrong_date(rng: random.Random, born: date) -> tuple[int, int, int]:
    """A slip on one part: a day or month off by one, or the year's last digit."""
    part = rng.randrange(3)
    if part == 0:
        moved = born + timedelta(days=rng.choice([-1, 1]))
        return moved.year, moved.month, moved.day
    if part == 1:
        month = min(12, max(1, born.month + rng.choice([-1, 1])))
        return born.year, month, min(born.day, 28)
    return born.year + rng.choice([-1, 1]), born.month, born.day


def _punctuated(rng: random.Random, number: str) -> str:
    """The same document number as registers write it: dots, dashes, spaces, leading zeros."""
    style = rng.randrange(5)
    if style == 0:
        groups = [number[max(0, i - 3) : i] for i in range(len(number), 0, -3)][::-1]
        return ".".join(groups)
    if style == 1:
        return f"{number[:-1]}-{number[-1]}"
    if style == 2:
        return " ".join(number[i : i + 3] for i in range(0, len(number), 3))
    if style == 3:
        return f"00{number}"
    return number


@cache
def _dials_00(country: str) -> bool:
    """Whether "00" alone dials abroad there (Brazil adds a carrier code: 0021...)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    return metadata is not None and metadata.international_prefix == "00"


def _phone_format(rng: random.Random, number: str, country: str) -> str:
    parsed = phonenumbers.parse(number)
    style = rng.randrange(4)
    home = phonenumbers.region_code_for_number(parsed) == country
    if style == 0 and home:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    if style == 1:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if style == 2 and _dials_00(country):
        return "00" + number[1:]
    return number

"""CTDC columns and values as vocabulary terms, read once from vocabularies.csv at import.

The `ctdc` column of each term names its CTDC flag column (control methods, exploitation
types...) or its CTDC value (gender, datasource, age group, majority). Messages for bad cells
live here too: they never include the cell's value, which in other formats can be personal.
"""

from operator import itemgetter

import pycountry
from django.utils.translation import gettext_lazy as _

from quipu.cases.vocabulary import vocabulary_rows
from quipu.intake.formats import ctdc_layouts as layouts

NOT_A_COUNTRY = _("Not a valid ISO 3166 country code.")
NOT_AN_ALPHA3_COUNTRY = _("Not a valid ISO 3166 three-letter country code.")
NOT_A_FLAG = _("Expected 1, 0 or empty.")
NOT_A_YEAR = _("Expected a four-digit year from %(first)s to %(last)s.")
FIRST_YEAR = 1900
NOT_A_TERM = _("Not one of the values this column allows.")

ALPHA2 = frozenset(country.alpha_2 for country in pycountry.countries)
ALPHA3_TO_ALPHA2 = {country.alpha_3: country.alpha_2 for country in pycountry.countries}


def _term_maps() -> tuple[dict, dict, dict]:
    """Flag column -> (Victim field, code); per vocabulary value -> code and code -> value."""
    flag_terms: dict[str, tuple[str, str]] = {}
    vocabularies = {vocabulary for *_part, vocabulary in layouts.VALUE_COLUMNS.values()}
    value_codes: dict[str, dict[str, str]] = {vocabulary: {} for vocabulary in vocabularies}
    value_texts: dict[str, dict[str, str]] = {vocabulary: {} for vocabulary in vocabularies}
    for term in vocabulary_rows():
        vocabulary, code, ctdc = term["vocabulary"], term["code"], term["ctdc"]
        if not ctdc:
            continue
        if vocabulary in layouts.FLAG_FIELDS:
            flag_terms.setdefault(ctdc, (layouts.FLAG_FIELDS[vocabulary], code))
        elif vocabulary in value_codes:
            # Several codes may share one CTDC value; reading it back gives the first.
            value_codes[vocabulary].setdefault(ctdc, code)
            value_texts[vocabulary][code] = ctdc
    return flag_terms, value_codes, value_texts


FLAG_TERMS, VALUE_CODES, VALUE_TEXTS = _term_maps()


def _flag_groups() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Per Victim CodeSet field, its kanon flag columns and their codes, in file order."""
    groups: dict[str, list[tuple[str, str]]] = {f: [] for f in layouts.FLAG_FIELDS.values()}
    for column in layouts.KANON_COLUMNS:
        if column in FLAG_TERMS:
            field, code = FLAG_TERMS[column]
            groups[field].append((column, code))
    return tuple((field, tuple(columns)) for field, columns in groups.items())


FLAG_GROUPS = _flag_groups()


def _cells_getter(columns: tuple[str, ...]):
    if len(columns) > 1:
        return itemgetter(*columns)  # fetches every cell in one C call
    return lambda values: tuple(values[column] for column in columns)


# Per field: a getter for all its cells at once, and the kanon column of each of its codes.
FLAG_GETTERS = {field: _cells_getter(tuple(c for c, _code in cols)) for field, cols in FLAG_GROUPS}
FLAG_COLUMNS = {field: {code: c for c, code in columns} for field, columns in FLAG_GROUPS}


def _written(labels: dict[str, str], style: layouts.Style) -> tuple[str, tuple]:
    """(separator, ((code, label), ...)) in the order the file writes them."""
    pairs = [
        (FLAG_TERMS[flag][1], style.spelled.get(flag, label))
        for flag, label in labels.items()
        if flag in FLAG_TERMS and flag not in style.left_out
    ]
    if style.alphabetical:
        pairs.sort(key=lambda pair: pair[1])
    return style.separator, tuple(pairs)


def _concatenations() -> dict[str, tuple[str, dict[str, tuple[str, tuple]]]]:
    """Per derived column: its CodeSet field and, per datasource code, how it is written."""
    found = {}
    for column, labels in layouts.CONCATENATED_LABELS.items():
        fields = [FLAG_TERMS[flag][0] for flag in labels if flag in FLAG_TERMS]
        if not fields:
            continue  # left unmapped, which a test reports
        field = fields[0]
        styles = {"*": layouts.Style(), **layouts.CONCATENATION_STYLES.get(column, {})}
        found[column] = (field, {source: _written(labels, s) for source, s in styles.items()})
    return found


CONCATENATIONS = _concatenations()


# Files repeat a few thousand combinations: remember them rather than rebuild each text.
_written_texts: dict[tuple, str] = {}
MEMO_LIMIT = 100_000


def concatenation(column: str, present: frozenset[str], datasource: str) -> str:
    """The text CTDC writes in a derived column for the present codes of its field."""
    key = (column, present, datasource)
    text = _written_texts.get(key)
    if text is None:
        by_source = CONCATENATIONS[column][1]
        separator, pairs = by_source.get(datasource) or by_source["*"]
        text = separator.join([label for code, label in pairs if code in present])
        if len(_written_texts) >= MEMO_LIMIT:
            _written_texts.clear()
        _written_texts[key] = text
    return text


def _unmapped_columns() -> tuple[str, ...]:
    handled = {
        layouts.YEAR_COLUMN,
        layouts.ABDUCTION_COLUMN,
        layouts.CITIZENSHIP_COLUMN,
        layouts.EXPLOITATION_COUNTRY_COLUMN,
        *layouts.VALUE_COLUMNS,
        *CONCATENATIONS,
        *(column for _field, columns in FLAG_GROUPS for column, _code in columns),
    }
    return tuple(column for column in layouts.KANON_COLUMNS if column not in handled)


# Kanon columns nothing reads: a vocabulary term has lost its `ctdc` name (a test checks).
UNMAPPED_COLUMNS = _unmapped_columns()

from io import BytesIO

import pytest
from openpyxl import Workbook


@pytest.fixture
def framework(db):
    """The shipped framework, population and baseline survey (loaded after migrate; again here
    in case a transactional test flushed them)."""
    from quipu.indicators.defaults import defaults_load

    defaults_load()


def xlsform_bytes(survey_rows, choice_rows=(), settings=None) -> bytes:
    """An XLSForm workbook made here: rows are lists, the first one the header."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    for row in survey_rows:
        survey.append(list(row))
    if choice_rows:
        choices = book.create_sheet("choices")
        for row in choice_rows:
            choices.append(list(row))
    if settings:
        sheet = book.create_sheet("settings")
        sheet.append(list(settings))
        sheet.append(list(settings.values()))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


ES, EN = "label::Español (es)", "label::English (en)"
FEATURES_HEADER = [
    "type",
    "name",
    ES,
    EN,
    "hint::English (en)",
    "required",
    "constraint",
    "constraint_message::Español (es)",
    "constraint_message::English (en)",
    "relevant",
    "calculate",
    "quipu_indicator",
]


def features_row(
    kind,
    name,
    es="",
    en="",
    hint="",
    required="",
    constraint="",
    message_es="",
    message_en="",
    relevant="",
    calculate="",
    indicator="",
):
    return [
        kind,
        name,
        es,
        en,
        hint,
        required,
        constraint,
        message_es,
        message_en,
        relevant,
        calculate,
        indicator,
    ]


FEATURES_SURVEY = [
    FEATURES_HEADER,
    features_row("text", "who", "Quién", "Who", "Your position", required="yes"),
    features_row(
        "integer",
        "age",
        "Edad",
        "Age",
        required="yes",
        constraint=". >= 0 and . < 120",
        message_es="Edad imposible",
        message_en="Impossible age",
    ),
    features_row("decimal", "share", "Porcentaje", "Share", constraint=". <= 100"),
    features_row(
        "date", "since", "Desde", "Since", constraint=". <= today()", message_en="Not in the future"
    ),
    features_row(
        "select_one yn", "has_plan", "¿Plan?", "Plan?", required="yes", indicator="PREV-01"
    ),
    features_row("begin_group", "plan", "Plan", "Plan", relevant="${has_plan} = 'yes'"),
    features_row("integer", "plan_year", "Año", "Year", required="yes"),
    features_row("select_multiple kinds", "kinds", "Tipos", "Kinds"),
    features_row("end_group", "plan"),
    features_row("begin_repeat", "people", "Personas", "People"),
    features_row("text", "person_name", "Nombre", "Name", required="yes"),
    features_row(
        "integer", "minors", "Menores", "Minors", relevant="selected(${kinds}, 'children')"
    ),
    features_row(
        "text",
        "code",
        "Código",
        "Code",
        constraint="regex(., '^[A-Z]{2}-[0-9]+$')",
        message_en="Write it like AB-12",
    ),
    features_row("end_repeat", "people"),
    features_row("calculate", "double_age", calculate="${age} * 2"),
    features_row("calculate", "band", calculate="if(${age} >= 18, 'adult', 'child')"),
    features_row("calculate", "people_count", calculate="count(${people})"),
    features_row("note", "summary", "Doble: ${double_age}", "Double: ${double_age}; ${band}"),
]
FEATURES_CHOICES = [
    ["list_name", "name", ES, EN],
    ["yn", "yes", "Sí", "Yes"],
    ["yn", "no", "No", "No"],
    ["kinds", "adults", "Adultos", "Adults"],
    ["kinds", "children", "Niños", "Children"],
]
FEATURES_SETTINGS = {
    "form_title": "Features",
    "form_id": "features",
    "version": "1",
    "default_language": "English (en)",
}


@pytest.fixture
def features_form():
    return xlsform_bytes(FEATURES_SURVEY, FEATURES_CHOICES, FEATURES_SETTINGS)


@pytest.fixture
def features_survey(framework, features_form):
    from quipu.indicators.surveys import survey_store

    return survey_store(content=features_form, file_name="features.xlsx")[0]

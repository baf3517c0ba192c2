"""Normalisation: names, dates, sex and identifiers in Spanish, Portuguese and English input."""

from datetime import date

import pytest

from quipu.linkage.normalise import (
    DocumentNumber,
    NameParts,
    PartialDate,
    dates_agree,
    document_number,
    email_address,
    given_name_forms,
    identifier_value,
    name_parts,
    names_compatible,
    nickname_table,
    parse_date,
    paternal_surname,
    phone_e164,
    sex_code,
    social_handle,
    spelling_key,
)

# --- names -----------------------------------------------------------------------------------


def test_accents_and_case_do_not_matter():
    assert name_parts("María José Pérez") == name_parts("MARIA JOSE PEREZ")
    assert name_parts("Peña Núñez").full_key == name_parts("pena nunez").full_key


def test_particles_are_dropped_and_split_given_names_from_surnames():
    assert name_parts("María José de la Cruz Pérez") == NameParts(
        given=("MARIA", "JOSE"), surnames=("CRUS", "PERES"), full_key="JOSE MARIA|CRUS PERES"
    )
    assert name_parts("João da Silva Santos").surnames == (
        spelling_key("Silva"),
        spelling_key("Santos"),
    )
    assert name_parts("Ortega y Gasset, José").surnames == ("ORTEGA", "GASET")


def test_la_is_kept_when_it_is_not_after_de():
    assert name_parts(given="Rosa", surnames="La Rosa").surnames == ("LA", "ROSA")
    assert name_parts(given="Rosa", surnames="de la Rosa").surnames == ("ROSA",)


def test_devotional_given_names_keep_their_particle_inside_the_given_name():
    assert name_parts("María del Carmen López Díaz").given == ("MARIA", "CARMEN")
    assert name_parts("Maria das Dores Oliveira").given == ("MARIA", "DORES")
    assert name_parts("Maria das Dores Oliveira").surnames == (spelling_key("Oliveira"),)


def test_separate_fields_are_used_as_given():
    parts = name_parts(given="Juan Carlos", surnames="Pérez García")
    assert parts.given == ("JUAN", "CARLOS")
    assert parts.surnames == ("PERES", "GARSIA")


def test_surname_first_with_a_comma_is_understood():
    assert name_parts("PÉREZ GARCÍA, Juan") == name_parts("Juan Pérez García")
    assert name_parts("SMITH, John") == name_parts("John Smith")


def test_three_words_are_one_given_name_and_two_surnames_unless_the_second_is_a_given_name():
    assert name_parts("Juan Pérez García").surnames == ("PERES", "GARSIA")
    assert name_parts("MARIA JOSE CRUZ").given == ("MARIA", "JOSE")


def test_generational_suffixes_and_initials_are_dropped():
    assert name_parts("José da Silva Filho") == name_parts("José da Silva")
    assert name_parts("John F. Kennedy Jr.") == name_parts("John Kennedy")


def test_paternal_surname_is_first_in_spanish_and_last_in_portuguese():
    assert paternal_surname(name_parts("Juan Pérez García")) == "PERES"
    assert paternal_surname(name_parts("João da Silva Santos"), convention="pt") == "SANTOS"
    assert paternal_surname(name_parts("Juan")) is None


@pytest.mark.parametrize(
    ("spanish", "portuguese"),
    [
        ("José", "Jose"),
        ("Luis", "Luiz"),
        ("Teresa", "Tereza"),
        ("Isabel", "Izabel"),
        ("Sousa", "Souza"),
        ("González", "Gonçalves"),
        ("Sebastián", "Sebastião"),
        ("Asunción", "Assunção"),
        ("Castillo", "Castilho"),
        ("Peña", "Penha"),
        ("Tiago", "Thiago"),
        ("Rafael", "Raphael"),
        ("Jimena", "Ximena"),
        ("Valdivia", "Baldivia"),
    ],
)
def test_spanish_and_portuguese_spellings_share_a_key(spanish, portuguese):
    assert spelling_key(spanish) == spelling_key(portuguese)


def test_different_names_keep_different_keys():
    assert spelling_key("Rosa") != spelling_key("Rosario")
    assert spelling_key("Ferrer") != spelling_key("Ferer")  # rr is not r in Spanish
    assert spelling_key("Silva") != spelling_key("Sousa")


@pytest.mark.parametrize(
    ("nickname", "name"),
    [
        ("Pepe", "José"),
        ("Zé", "José"),
        ("Paco", "Francisco"),
        ("Chico", "Francisco"),
        ("Lupe", "Guadalupe"),
        ("Chucho", "Jesús"),
        ("Nando", "Fernando"),
        ("Toño", "Antonio"),
        ("Lucho", "Luis"),
        ("Bill", "William"),
    ],
)
def test_nicknames_give_the_name_they_stand_for(nickname, name):
    assert name_parts(f"{nickname} Rojas").given == name_parts(f"{name} Rojas").given


def test_an_ambiguous_nickname_stands_for_each_of_its_names():
    beto = name_parts("Beto Souza").given[0]
    assert {spelling_key("Alberto"), spelling_key("Roberto")} <= given_name_forms(beto)
    assert names_compatible("Beto Souza", "Roberto Sousa")
    assert names_compatible("Beto Souza", "Alberto de Souza")
    assert not names_compatible("Beto Souza", "Humberto Souza")


def test_nickname_file_loads_with_every_row():
    table = nickname_table()
    assert len(table) > 60
    assert all(table.values())


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("María José de la Cruz Pérez", "MARIA JOSE CRUZ"),  # dropped maternal surname
        ("João da Silva Santos", "JOAO SILVA"),
        ("Luiz Gonçalves", "Luis Goncalves"),
        ("Luiz Gonçalves", "Luis González"),
        ("José Antonio Quispe Mamani", "Antonio José Quispe Mamani"),  # given names reordered
        ("Juan Pérez García", "Juan García Pérez"),  # surname order swapped
        ("Pepe Ramírez", "José Ramires"),
        ("Thereza de Souza", "TERESA SOUSA"),
        ("PÉREZ GARCÍA, Juan Carlos", "Juan Pérez"),  # dropped second given name
        ("Katherine Johnson", "Kate Johnson"),
        ("John Smith", "SMITH, John"),
    ],
)
def test_names_compatible(first, second):
    assert names_compatible(first, second)
    assert names_compatible(second, first)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Juan Pérez", "Pedro Pérez"),  # other given name
        ("Juan Pérez", "Juan Gómez"),  # other surname
        ("María José Cruz", "María José"),  # no surname to compare
        ("Ana Mamani Condori", "Ana Mamani Quispe Flores"),  # a surname the other lacks
        ("Maria", "Maria"),
    ],
)
def test_names_not_compatible(first, second):
    assert not names_compatible(first, second)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19900512", (1990, 5, 12)),
        ("12051990", (1990, 5, 12)),
        ("12/05/1990", (1990, 5, 12)),
        ("12-05-1990", (1990, 5, 12)),
        ("12.05.90", (1990, 5, 12)),
        ("1990-05-12", (1990, 5, 12)),
        ("1990/05/12", (1990, 5, 12)),
        ("1990-05-12T08:30:00Z", (1990, 5, 12)),
        ("12/05/1990 00:00", (1990, 5, 12)),
        ("05/25/1990", (1990, 5, 25)),  # only month-first makes sense
        ("1990-05", (1990, 5, None)),
        ("05/1990", (1990, 5, None)),
        ("199005", (1990, 5, None)),
        ("1990", (1990, None, None)),
        ("00/05/1990", (1990, 5, None)),
        ("XX/XX/1990", (1990, None, None)),
        ("??/07/1985", (1985, 7, None)),
        ("12 de mayo de 1990", (1990, 5, 12)),
        ("1º de enero de 2000", (2000, 1, 1)),
        ("12 de março de 1990", (1990, 3, 12)),
        ("12 maio 1990", (1990, 5, 12)),
        ("setembro de 1985", (1985, 9, None)),
        ("May 12, 1990", (1990, 5, 12)),
        ("12th May 1990", (1990, 5, 12)),
        ("29/02/2000", (2000, 2, 29)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == PartialDate(*expected)


@pytest.mark.parametrize(
    "text", ["", "31/02/1990", "29/02/2001", "13/13/1990", "mayo", "soon", "1"]
)
def test_parse_date_gives_none_for_what_is_not_a_date(text):
    assert parse_date(text) is None


def test_parse_date_reads_month_first_when_told():
    assert parse_date("05/12/1990", day_first=False) == PartialDate(1990, 5, 12)


def test_parse_date_takes_date_objects():
    assert parse_date(date(1990, 5, 12)) == PartialDate(1990, 5, 12)
    assert parse_date(None) is None


def test_dates_agree_allows_a_day_month_swap():
    assert dates_agree(parse_date("12/05/1990"), parse_date("05/12/1990"))
    assert not dates_agree(parse_date("12/05/1990"), parse_date("05/12/1990"), allow_swap=False)
    assert not dates_agree(parse_date("12/05/1990"), parse_date("12/05/1991"))


def test_dates_agree_on_the_parts_both_know():
    assert dates_agree(parse_date("1990"), parse_date("12/05/1990"))
    assert dates_agree(parse_date("05/1990"), parse_date("1990-05-12"))
    assert not dates_agree(parse_date("1991"), parse_date("12/05/1990"))
    assert not dates_agree(PartialDate(1990, None, None), PartialDate(None, 5, 12))
    assert not dates_agree(None, parse_date("1990"))


# --- sex and identifiers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Feminine", "F"),
        ("femenino", "F"),
        ("Mulher", "F"),
        ("female", "F"),
        ("Masculine", "M"),
        ("hombre", "M"),
        ("M", "M"),
        ("TransgenderFeminine", None),
        ("NonSpecifiedUnknown", None),
        ("", None),
    ],
)
def test_sex_code(value, code):
    assert sex_code(value) == code


def test_phone_numbers_become_e164_with_a_default_region():
    assert phone_e164("300 123 4567", default_region="CO") == "+573001234567"
    assert phone_e164("(011) 15-1234-5678", default_region="AR") == phone_e164(
        "011 15 1234 5678", default_region="AR"
    )
    assert phone_e164("+55 (11) 91234-5678") == "+5511912345678"
    assert phone_e164("+55 11 91234 5678", default_region="PE") == "+5511912345678"
    assert phone_e164("0051 987 654 321", default_region="PE") == "+51987654321"


def test_phone_numbers_that_cannot_be_read_give_none():
    assert phone_e164("91234-5678") is None  # national, and no region to read it in
    assert phone_e164("12", default_region="CO") is None
    assert phone_e164("call me", default_region="CO") is None


def test_document_numbers_lose_punctuation_and_keep_their_country():
    assert document_number("12.345.678-k", "CO") == DocumentNumber("CO", "12345678K")
    assert document_number(" ab 123 456 ", "bra") == DocumentNumber("BR", "AB123456")
    assert document_number("0012345678", "PE") == document_number("12345678", "PE")


def test_a_document_without_a_valid_country_gives_none():
    assert document_number("12345678", None) is None
    assert document_number("12345678", "XX") is None
    assert document_number("--", "CO") is None


def test_email_and_social_handles():
    assert email_address(" Maria.Perez+trabajo@GMail.com ") == "mariaperez@gmail.com"
    assert email_address("Ana.Silva@Example.org") == "ana.silva@example.org"
    assert email_address("not an address") is None
    assert social_handle("https://www.instagram.com/Some.User/") == "some.user"
    assert social_handle("@Some.User") == "some.user"


def test_identifier_value_pairs_documents_and_plates_with_their_country():
    assert identifier_value("document", "12.345.678", country="AR") == "AR:12345678"
    assert identifier_value("plate", "abc-123", country="CO") == "CO:ABC123"
    assert identifier_value("phone", "987 654 321", country="PE") == "+51987654321"
    assert identifier_value("bank_account", "0110-0123-45") == "0110012345"
    with pytest.raises(ValueError, match="unknown identifier kind"):
        identifier_value("shoe_size", "42")

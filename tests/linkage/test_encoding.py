"""Keyed tokens and Bloom encodings: stable, keyed, clkhash's bit for bit, and free of plaintext
(DESIGN.md rule 2: the matcher sees encodings only)."""

import base64
import os
import stat

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured

from quipu.linkage.encoding import (
    CLK_BYTES,
    PERSON_FIELDS,
    clkhash_schema,
    dice,
    dice_one_to_many,
    identifier_token,
    pack_filters,
    person_encode,
    person_feature_values,
    popcounts,
)
from quipu.linkage.keys import linkage_key, linkage_key_from_secret
from quipu.linkage.normalise import name_parts, parse_date

SECRET = "quipu test linkage secret, never used in production"
KEY = linkage_key_from_secret(SECRET)
ROTATED = linkage_key_from_secret("quipu test linkage secret, the next one after rotation")


def encode(full_name, birth_date="", sex=None, key=KEY):
    return person_encode(
        name=name_parts(full_name), birth_date=parse_date(birth_date), sex=sex, key=key
    )


# --- keys ------------------------------------------------------------------------------------


def test_key_comes_from_the_environment_first(monkeypatch, tmp_path):
    monkeypatch.setenv("QUIPU_LINKAGE_KEY", SECRET)
    monkeypatch.setenv("QUIPU_LINKAGE_KEY_FILE", str(tmp_path / "linkage.key"))
    assert linkage_key() == KEY
    assert not (tmp_path / "linkage.key").exists()


def test_key_file_is_generated_once_and_owner_only(monkeypatch, tmp_path):
    monkeypatch.delenv("QUIPU_LINKAGE_KEY", raising=False)
    path = tmp_path / "keys" / "linkage.key"
    monkeypatch.setenv("QUIPU_LINKAGE_KEY_FILE", str(path))
    first = linkage_key()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert linkage_key() == first
    assert len(first.secret) >= 32


def test_key_file_readable_by_others_is_refused(monkeypatch, tmp_path):
    monkeypatch.delenv("QUIPU_LINKAGE_KEY", raising=False)
    path = tmp_path / "linkage.key"
    path.write_text(SECRET)
    os.chmod(path, 0o644)
    monkeypatch.setenv("QUIPU_LINKAGE_KEY_FILE", str(path))
    with pytest.raises(ImproperlyConfigured):
        linkage_key()


def test_short_secrets_are_refused():
    with pytest.raises(ImproperlyConfigured):
        linkage_key_from_secret("too short")


def test_key_id_is_public_and_the_secret_never_shows_in_a_repr():
    assert KEY.key_id != ROTATED.key_id
    assert SECRET not in repr(KEY)
    assert SECRET.encode().hex() not in KEY.key_id


# --- identifier tokens -----------------------------------------------------------------------


def test_identifier_tokens_are_stable_for_the_same_value_and_key():
    first = identifier_token("document", "12.345.678-K", country="CO", key=KEY)
    second = identifier_token("document", "12345678k", country="col", key=KEY)
    assert first == second
    assert first.key_id == KEY.key_id
    assert len(first.token) == 64 and int(first.token, 16) >= 0


def test_document_tokens_depend_on_the_issuing_country():
    colombian = identifier_token("document", "12345678", country="CO", key=KEY)
    peruvian = identifier_token("document", "12345678", country="PE", key=KEY)
    assert colombian.token != peruvian.token


def test_equal_digits_of_different_kinds_give_different_tokens():
    phone = identifier_token("phone", "+51987654321", key=KEY)
    account = identifier_token("bank_account", "+51987654321", key=KEY)
    assert phone.token != account.token


def test_phone_tokens_match_across_formats():
    national = identifier_token("phone", "987 654 321", default_region="PE", key=KEY)
    international = identifier_token("phone", "+51 987-654-321", key=KEY)
    assert national == international


def test_key_rotation_changes_every_token():
    values = [("document", "12345678", "CO"), ("phone", "+5511912345678", None)]
    for kind, value, country in values:
        old = identifier_token(kind, value, country=country, key=KEY)
        new = identifier_token(kind, value, country=country, key=ROTATED)
        assert old.token != new.token
        assert (old.key_id, new.key_id) == (KEY.key_id, ROTATED.key_id)


def test_unusable_identifiers_give_no_token():
    assert identifier_token("document", "12345678", country=None, key=KEY) is None
    assert identifier_token("email", "nobody", key=KEY) is None


# --- Bloom encodings -------------------------------------------------------------------------


def test_encodings_are_stable_for_the_same_person_and_key():
    first = encode("María José de la Cruz Pérez", "12/05/1990", "F")
    second = encode("MARIA JOSE DE LA CRUZ PEREZ", "1990-05-12", "Feminine")
    assert first == second
    assert len(first.clk) == CLK_BYTES
    assert first.key_id == KEY.key_id
    assert set(first.fields) == {spec.name for spec in PERSON_FIELDS}


def test_key_rotation_changes_every_encoding():
    old = encode("María José de la Cruz Pérez", "12/05/1990", "F")
    new = encode("María José de la Cruz Pérez", "12/05/1990", "F", key=ROTATED)
    assert new.key_id == ROTATED.key_id
    assert dice(old.clk, new.clk) < 0.5
    for field in old.fields:
        assert old.fields[field] != new.fields[field]


def test_unknown_fields_get_no_filter():
    encoding = encode("Juan Pérez", "1990", None)
    assert set(encoding.fields) == {"given_names", "surnames", "birth_year"}
    assert encode("", "", None).clk == bytes(CLK_BYTES)


def test_given_name_and_surname_order_do_not_change_the_name_filters():
    def names_only(given, surnames):
        name = name_parts(given=given, surnames=surnames)
        return person_encode(name=name, birth_date=None, sex=None, key=KEY).fields

    first = names_only("José Antonio", "Quispe Mamani")
    second = names_only("Antonio José", "Mamani Quispe")
    assert first == second


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            ("Ana Lucía Mamani Condori", "03/07/1995", "F"),
            ("Ana Lucia Mamami Condori", "1995-07-03", "F"),
        ),
        (
            ("Ana Lucía Mamani Condori", "03/07/1995", "F"),
            ("Ana Luica Mamani Condori", "03/07/1995", "F"),
        ),
        (("María José de la Cruz Pérez", "12/05/1990", "F"), ("MARIA JOSE CRUZ", "19900512", "F")),
        (("Wilmer Quispe Huamán", "1988", "M"), ("Wilmer Quispe Huaman", "02/11/1988", "M")),
        (("Jhonatan Condori Apaza", "1999", "M"), ("Jonathan Condory Apasa", "1999", "M")),
    ],
)
def test_near_records_have_dice_of_at_least_0_8(first, second):
    assert dice(encode(*first).clk, encode(*second).clk) >= 0.8


def test_near_surnames_have_dice_of_at_least_0_8():
    first = encode("Rosa Elvira Huamaní Ccallo")
    second = encode("Rosa Elvira Guamani Callo")
    assert dice(first.fields["surnames"], second.fields["surnames"]) >= 0.8
    assert dice(first.fields["given_names"], second.fields["given_names"]) == 1.0


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            ("Ana Lucía Mamani Condori", "03/07/1995", "F"),
            ("Carlos Eduardo Ribeiro Alves", "21/11/1979", "M"),
        ),
        (
            ("Ana Lucía Mamani Condori", "03/07/1995", "F"),
            ("Rosa Elvira Quispe Flores", "14/02/1995", "F"),
        ),
        (("Juan Pérez García", "01/01/1990", "M"), ("Pedro Gómez Ruiz", "09/09/1972", "M")),
    ],
)
def test_different_people_have_dice_below_0_5(first, second):
    one, other = encode(*first), encode(*second)
    assert dice(one.clk, other.clk) < 0.5
    assert dice(one.fields["given_names"], other.fields["given_names"]) < 0.5
    assert dice(one.fields["surnames"], other.fields["surnames"]) < 0.5


def test_no_plaintext_in_the_outputs():
    encoding = encode("María José de la Cruz Pérez", "12/05/1990", "F")
    token = identifier_token("document", "12345678", country="CO", key=KEY)
    outputs = [encoding.clk, *encoding.fields.values()]
    printed = repr(encoding) + repr(token) + "".join(base64.b64encode(b).decode() for b in outputs)
    for plaintext in ["MARIA", "Maria", "CRUZ", "CRUS", "PERES", "1990", "12345678", "JOSE"]:
        assert plaintext not in printed
        assert not any(plaintext.encode() in bits for bits in outputs)
        assert plaintext.encode().hex() not in printed
    assert token.token != b"CO:12345678".hex()


# --- clkhash compatibility -------------------------------------------------------------------

# Produced by clkhash 0.18.3 (bitarray 2.9.3) from clkhash_schema() and SECRET with
# clkhash.clk.generate_clks([row], schema, SECRET), serialised with serialize_bitarray.
CLKHASH_CLKS = {
    ("JOSE MARIA", "CRUS PERES", "1990", "05", "12", "F"): (
        "2ky1gKKCwByhH9XCzIQ6DAhQEEDErdrBGQCAYajIgAAWgogwIJqEA8KgQDQACIkIwYJQDF1czNA8IaDtmICMopGB"
        "ShKACECq3ACLJAUUBAiEDAgOYsI6IIcgglAFFA3V0ZKAgahAwshChItCCgtgBCAIpKgTAbGKqHECAaSzySQ="
    ),
    ("JUAN", "SANTOS SILBA", "1987", "", "", "M"): (
        "IgwgwkQCECBCwACgRrBZCZIGwiRBIGVEiAKAAECBgBFAEEpCRixA4GZYKBUAaANAAaBkQAJABiCBCIhAagICPBig"
        "EQBICHJCkgAgAGBBQCTgCFCJQAxCIAcnBpgJYALVGBSAIABC4CFESFpSAgAjAgFgCOBGB8gcRZJEAd4AUkA="
    ),
    ("ALBERTO BETO ROBERTO", "SOUSA", "", "", "", ""): (
        "Ag5xcMQUICVDAAwAYBcQMhzITEQgcQZNAQSIABRACFBAhElYxVRQQEIICgGQAIIAIwgGBQRMRQAZIBCUCoAEAAAA"
        "AIIdIFJMRGgBAGBQQWBFgFJlQExgMFUEYkgABqCIQAAAgwxBYIOAUUBjQEOAAEAAhAUEhlAAZQLABcgITEA="
    ),
}
CLKHASH_PEOPLE = [
    ("María José de la Cruz Pérez", "12/05/1990", "F"),
    ("João da Silva Santos", "1987", "M"),
    ("Beto Souza", "", None),
]


def test_feature_values_are_the_rows_the_recorded_clks_were_made_from():
    rows = []
    for full_name, birth_date, sex in CLKHASH_PEOPLE:
        values = person_feature_values(
            name=name_parts(full_name), birth_date=parse_date(birth_date), sex=sex
        )
        rows.append(tuple(values[spec.name] for spec in PERSON_FIELDS))
    assert rows == list(CLKHASH_CLKS)


@pytest.mark.parametrize(
    ("person", "expected"), zip(CLKHASH_PEOPLE, CLKHASH_CLKS.values(), strict=True)
)
def test_clk_equals_the_one_clkhash_made(person, expected):
    assert base64.b64encode(encode(*person).clk).decode() == expected


def test_clk_equals_clkhash_run_here():
    """Runs where clkhash is installed (it pins cryptography<41, so not in the project's env)."""
    clkhash_clk = pytest.importorskip("clkhash.clk")
    clkhash_schema_module = pytest.importorskip("clkhash.schema")
    schema = clkhash_schema_module.from_json_dict(clkhash_schema())
    people = [*CLKHASH_PEOPLE, ("Thereza Gonçalves", "07/1975", "mulher"), ("", "", None)]
    for full_name, birth_date, sex in people:
        name, born = name_parts(full_name), parse_date(birth_date)
        values = person_feature_values(name=name, birth_date=born, sex=sex)
        row = [values[spec.name] for spec in PERSON_FIELDS]
        encoding = person_encode(name=name, birth_date=born, sex=sex, key=KEY)
        assert encoding.clk == clkhash_clk.generate_clks([row], schema, SECRET)[0].tobytes()
        for index, spec in enumerate(PERSON_FIELDS):
            only = [value if i == index else "" for i, value in enumerate(row)]
            alone = clkhash_clk.generate_clks([only], schema, SECRET)[0].tobytes()
            assert encoding.fields.get(spec.name, bytes(CLK_BYTES)) == alone


# --- Dice ------------------------------------------------------------------------------------


def test_dice_one_to_many_matches_pairwise_dice():
    query = encode("Ana Lucía Mamani Condori", "03/07/1995", "F").clk
    candidates = [
        encode(name, born, sex).clk
        for name, born, sex in [
            ("Ana Lucia Mamami Condori", "1995-07-03", "F"),
            ("Carlos Eduardo Ribeiro Alves", "21/11/1979", "M"),
            ("", "", None),
        ]
    ]
    packed = pack_filters(candidates)
    assert packed.dtype == np.uint64 and packed.shape == (3, 16)
    scores = dice_one_to_many(query, packed)
    assert scores == pytest.approx([dice(query, other) for other in candidates])
    assert scores[0] > 0.8 > 0.5 > scores[1]
    assert scores[2] == 0.0
    counts = popcounts(packed)
    assert dice_one_to_many(query, packed, candidate_counts=counts) == pytest.approx(scores)


def test_dice_counts_bits():
    full, empty = b"\xff" * 8, bytes(8)
    half = b"\xff" * 4 + bytes(4)
    assert dice(full, full) == 1.0
    assert dice(full, half) == pytest.approx(2 * 32 / (64 + 32))
    assert dice(empty, empty) == 0.0
    with pytest.raises(ValueError):
        pack_filters([full, b"\xff" * 16])

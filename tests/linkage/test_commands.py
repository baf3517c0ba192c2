"""`quipu encode` and `quipu link-files` on real files: encodings only leave (DESIGN.md rule 2),
bad input names the row and column and writes nothing (rule 4)."""

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quipu.linkage.noisy import csv_write, noisy_pairs

SECRET = "quipu test linkage secret, never used in production"


@pytest.fixture
def linkage_key(monkeypatch, tmp_path):
    monkeypatch.setenv("QUIPU_LINKAGE_KEY", SECRET)
    monkeypatch.setenv("QUIPU_LINKAGE_KEY_FILE", str(tmp_path / "unused.key"))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("linkage")
    data = noisy_pairs(120, unmatched=40, seed=21)
    return (
        csv_write(data.left, folder / "left.csv"),
        csv_write(data.right, folder / "right.csv"),
        data,
    )


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_rule_2_encode_writes_ids_and_encodings_only(linkage_key, files, tmp_path):
    left, _right, data = files
    out = tmp_path / "left.enc.csv"
    call_command("encode", str(left), "--out", str(out), stdout=StringIO())
    rows = read(out)
    assert list(rows[0]) == ["id", "clk", "birth_year", "sex", "tokens", "key_id"]
    assert [row["id"] for row in rows] == [row["id"] for row in data.left]
    text = out.read_text(encoding="utf-8")
    for person in data.left[:40]:
        for field in ("given_name", "surname", "full_name", "document_number", "phone", "email"):
            value = person[field]
            if len(value) > 4:
                assert value not in text
                assert value.upper() not in text


def test_link_files_writes_one_to_one_pairs_that_match_the_truth(linkage_key, files, tmp_path):
    left, right, data = files
    encoded = tmp_path / "left.enc.csv"
    call_command("encode", str(left), "--out", str(encoded), stdout=StringIO())
    out = tmp_path / "pairs.csv"
    call_command("link-files", str(encoded), str(right), "--out", str(out), stdout=StringIO())
    rows = read(out)
    assert list(rows[0]) == ["left_id", "right_id", "match_probability"]
    pairs = {(row["left_id"], row["right_id"]) for row in rows}
    assert len({a for a, _ in pairs}) == len(pairs) == len({b for _, b in pairs})
    assert len(pairs & data.truth) >= 0.8 * len(data.truth)
    assert len(pairs - data.truth) <= 0.05 * len(pairs)
    assert all(0.5 <= float(row["match_probability"]) <= 1 for row in rows)


def test_link_files_in_plain_mode_with_mapped_columns_and_compact_dates(tmp_path):
    header = "ref;nombres;apellidos;nacimiento;sexo\n"
    left = tmp_path / "left.csv"
    right = tmp_path / "right.csv"
    left.write_text(
        header + "A1;María José;Quispe Mamani;12/05/1990;F\n"
        "A2;Carlos;Ribeiro Alves;21/11/1979;M\n"
        "A3;Juan;Pérez García;01/01/1990;M\n",
        encoding="utf-8",
    )
    right.write_text(
        header + "B1;MARIA JOSE;QUISPE;19900512;Femenino\n"
        "B2;Carlos Eduardo;Ribeiro Alvez;19791121;masculino\n"
        "B3;Pedro;Gómez Ruiz;19720909;M\n",
        encoding="utf-8",
    )
    out = tmp_path / "pairs.csv"
    mappings = ["given_name=nombres", "surname=apellidos", "date_of_birth=nacimiento", "sex=sexo"]
    call_command(
        "link-files",
        str(left),
        str(right),
        "--out",
        str(out),
        "--mode",
        "plain",
        "--id-column",
        "ref",
        *(item for mapping in mappings for item in ("--map", mapping)),
        stdout=StringIO(),
    )
    pairs = {(row["left_id"], row["right_id"]) for row in read(out)}
    assert {("A1", "B1"), ("A2", "B2")} <= pairs
    assert ("A3", "B3") not in pairs


def test_rule_4_bad_input_names_row_and_column_and_never_the_value(linkage_key, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text(
        "id,full_name,date_of_birth,phone\n"
        "1,Ana Pérez,12/05/1990,+51987654321\n"
        "2,Rosa Quispe,31/02/1990XYZ,+51987654322\n"
        "3,Luis Soto,1990,call me maybe\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    stderr = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("encode", str(source), "--out", str(out), stdout=StringIO(), stderr=stderr)
    report = stderr.getvalue() + str(raised.value)
    assert "3" in report and "date_of_birth" in report and "phone" in report
    for value in ("31/02/1990XYZ", "call me maybe", "Rosa", "Quispe"):
        assert value not in report
    assert not out.exists()


def test_unknown_fields_and_missing_files_are_refused(linkage_key, files, tmp_path):
    left, right, _data = files
    with pytest.raises(CommandError):
        call_command("encode", str(left), "--out", str(tmp_path / "x.csv"), "--map", "shoe=size")
    with pytest.raises(CommandError):
        call_command("encode", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError):
        call_command("link-files", str(left), str(right), "--out", str(tmp_path / "p.csv"),
                     "--threshold", "2")  # fmt: skip


def test_files_encoded_with_different_keys_are_refused(monkeypatch, files, tmp_path):
    left, right, _data = files
    monkeypatch.setenv("QUIPU_LINKAGE_KEY", SECRET)
    call_command("encode", str(left), "--out", str(tmp_path / "l.csv"), stdout=StringIO())
    monkeypatch.setenv("QUIPU_LINKAGE_KEY", SECRET + " rotated")
    call_command("encode", str(right), "--out", str(tmp_path / "r.csv"), stdout=StringIO())
    with pytest.raises(CommandError):
        call_command(
            "link-files", str(tmp_path / "l.csv"), str(tmp_path / "r.csv"),
            "--out", str(tmp_path / "p.csv"), stdout=StringIO(),
        )  # fmt: skip

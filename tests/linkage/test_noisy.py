"""The noisy pair generator: deterministic, with known truth and the variations it promises."""

import csv
import re

from quipu.linkage.noisy import FIELDS, csv_write, noisy_pairs
from quipu.linkage.normalise import name_parts, parse_date


def test_the_same_seed_gives_the_same_records_and_another_seed_others():
    first, again, other = noisy_pairs(50, seed=7), noisy_pairs(50, seed=7), noisy_pairs(50, seed=8)
    assert first == again
    assert first.left != other.left


def test_truth_pairs_each_left_and_right_record_at_most_once():
    data = noisy_pairs(120, unmatched=40, seed=1)
    assert len(data.truth) == 120
    assert len({left for left, _ in data.truth}) == len({right for _, right in data.truth}) == 120
    assert len(data.left) == len(data.right) == 160
    left_ids = {row["id"] for row in data.left}
    assert {left for left, _ in data.truth} <= left_ids


def test_records_of_a_true_pair_come_from_two_countries():
    data = noisy_pairs(80, unmatched=0, seed=2)
    left = {row["id"]: row for row in data.left}
    right = {row["id"]: row for row in data.right}
    assert all(left[a]["country"] != right[b]["country"] for a, b in data.truth)


def test_the_variations_all_occur():
    data = noisy_pairs(600, unmatched=200, seed=3)
    rows = data.left + data.right
    names = [row["full_name"] or f"{row['given_name']} {row['surname']}" for row in rows]
    dates = [row["date_of_birth"] for row in rows]
    assert any(name.isupper() for name in names)
    assert any("," in row["full_name"] for row in rows)  # SURNAMES, Given
    assert any(re.search(r"\b(de la|da|dos|del)\b", name, re.I) for name in names)
    assert any(re.fullmatch(r"\d{8}", d) for d in dates)  # YYYYMMDD
    assert any(re.fullmatch(r"\d{4}", d) for d in dates)  # year only
    assert any(" de " in d for d in dates)  # "12 de mayo de 1990"
    assert any(d == "" for d in dates)
    assert any("." in row["document_number"] for row in rows)
    assert any(row["phone"].startswith("00") for row in rows)
    assert any(row["phone"] and not row["phone"].startswith(("+", "00")) for row in rows)
    assert all(parse_date(d) for d in dates if d)


def test_true_pairs_differ_in_ways_normalisation_undoes_and_in_ways_it_cannot():
    data = noisy_pairs(400, unmatched=0, seed=4)
    left = {row["id"]: row for row in data.left}
    right = {row["id"]: row for row in data.right}

    def key(row):
        if row["given_name"] or row["surname"]:
            return name_parts(given=row["given_name"], surnames=row["surname"]).full_key
        return name_parts(row["full_name"]).full_key

    raw_differs = [a for a, b in data.truth if left[a]["surname"] != right[b]["surname"]]
    keys_equal = [a for a, b in data.truth if key(left[a]) == key(right[b])]
    assert len(raw_differs) > 100
    assert 0.2 * len(data.truth) < len(keys_equal) < 0.95 * len(data.truth)


def test_csv_write_uses_the_standard_fields(tmp_path):
    data = noisy_pairs(5, unmatched=2, seed=5)
    path = csv_write(data.left, tmp_path / "left.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == FIELDS
    assert [row["id"] for row in rows] == [row["id"] for row in data.left]

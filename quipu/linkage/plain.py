"""Plain mode: Splink's standard comparisons on normalised plaintext, for duplicates within a
country and as the anchor the encoded mode is measured against (benchmarks/linkage_quality)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

from quipu.linkage.normalise import fold, identifier_value, parse_date, sex_code, spelling_key
from quipu.linkage.scoring import ScoredPair, _identifiers, _row_name
from quipu.linkage.splink_engine import EM_STOPPING, Progress, em_session, prior_set, run_splink

PLAIN_FIELDS = (
    "given_name",
    "surname",
    "full_name",
    "date_of_birth",
    "sex",
    "document_number",
    "document_country",
    "phone",
    "email",
    "address",
    "city",
    "postcode",
    "region",
    "country",
)


def link_plain(
    left_rows: Sequence[Mapping[str, str | None]],
    right_rows: Sequence[Mapping[str, str | None]] | None = None,
    *,
    backend: str = "duckdb",
    threshold: float = 0.5,
    progress: Progress | None = None,
    id_field: str = "id",
) -> list[ScoredPair]:
    """Score pairs of plaintext rows (standard field names, PLAIN_FIELDS, and `id_field`) at or
    above `threshold`: left against right, or duplicates within left when right is None."""
    sides = {"left": left_rows} if right_rows is None else {"left": left_rows, "right": right_rows}
    columns = {name: _plain_columns(rows, id_field) for name, rows in sides.items()}
    for name, table in columns.items():
        if len(set(table["unique_id"])) != len(table["unique_id"]):
            raise ValueError(f"record ids must be unique within {name}")
    if right_rows is None and len(left_rows) < 2 or not all(sides.values()):
        return []
    present = {
        column
        for table in columns.values()
        for column, values in table.items()
        if any(v is not None for v in values)
    }
    predictions, _model = run_splink(
        columns,
        settings=_plain_settings(present, dedupe=right_rows is None),
        training=_plain_training,
        backend=backend,
        threshold=threshold,
        progress=progress,
    )
    pairs = []
    for row in predictions:
        left_id, right_id = row["unique_id_l"], row["unique_id_r"]
        if row.get("source_dataset_l") == "right":
            left_id, right_id = right_id, left_id
        # Splink's match weight of each comparison: what agreed (> 0) and what did not.
        components = {
            key.removeprefix("mw_"): round(value, 2)
            for key, value in row.items()
            if key.startswith("mw_") and value is not None
        }
        pairs.append(ScoredPair(left_id, right_id, float(row["match_probability"]), components))
    return sorted(pairs, key=lambda pair: (-pair.match_probability, pair.left_id, pair.right_id))


def _plain_columns(rows: Sequence[Mapping[str, str | None]], id_field: str) -> dict[str, list]:
    columns: dict[str, list] = {"unique_id": []}
    for row in rows:
        name = _row_name(row)
        born = parse_date(row.get("date_of_birth") or None)
        values = {
            "given_1": name.given[0] if name.given else None,
            "given_all": " ".join(sorted(name.given)) or None,
            "given_arr": sorted(set(name.given)) or None,
            "surname_1": name.surnames[0] if name.surnames else None,
            "surname_all": " ".join(sorted(name.surnames)) or None,
            "surname_arr": sorted(set(name.surnames)) or None,
            "birth_year": born.year if born else None,
            "birth_month": born.month if born else None,
            "birth_day": born.day if born else None,
            "sex": sex_code(row.get("sex")),
            "address": fold(row.get("address") or "") or None,
            "city": spelling_key(row.get("city") or "") or None,
            "postcode": fold(row.get("postcode") or "").replace(" ", "") or None,
            "region": spelling_key(row.get("region") or "") or None,
            "document": None,
            "phone": None,
            "email": None,
        }
        for kind, value, country in _identifiers(row):
            values[kind] = identifier_value(kind, value, country=country, default_region=country)
        columns["unique_id"].append(str(row[id_field]))
        for column, value in values.items():
            columns.setdefault(column, []).append(value)
    return columns


def _plain_settings(present: set[str], *, dedupe: bool) -> SettingsCreator:
    ymd = ("birth_year", "birth_month", "birth_day")
    same = " and ".join(f"{c}_l = {c}_r" for c in ymd)
    swapped = "birth_year_l = birth_year_r and birth_month_l = birth_day_r and "
    swapped += "birth_day_l = birth_month_r"
    known_agree = "birth_year_l = birth_year_r and " + " and ".join(
        f"({c}_l is null or {c}_r is null or {c}_l = {c}_r)" for c in ymd[1:]
    )
    one_off = (
        "(birth_year_l = birth_year_r and (birth_month_l = birth_month_r"
        " or birth_day_l = birth_day_r)) or (abs(birth_year_l - birth_year_r) = 1"
        " and birth_month_l = birth_month_r and birth_day_l = birth_day_r)"
    )
    comparisons = [
        cl.CustomComparison(
            [
                cll.NullLevel("given_all"),
                cll.ExactMatchLevel("given_all"),
                cll.ArrayIntersectLevel("given_arr", 1),
                cll.JaroWinklerLevel("given_1", 0.9),
                cll.JaroWinklerLevel("given_1", 0.8),
                cll.ElseLevel(),
            ],
            output_column_name="given_name",
        ),
        cl.CustomComparison(
            [
                cll.NullLevel("surname_all"),
                cll.ExactMatchLevel("surname_all"),
                cll.ArrayIntersectLevel("surname_arr", 1),
                cll.JaroWinklerLevel("surname_all", 0.92),
                cll.JaroWinklerLevel("surname_all", 0.8),
                cll.ElseLevel(),
            ],
            output_column_name="surname",
        ),
        cl.CustomComparison(
            [
                cll.NullLevel("birth_year"),
                cll.CustomLevel(same, "exact"),
                cll.CustomLevel(swapped, "day and month swapped"),
                cll.CustomLevel(known_agree, "known parts agree"),
                cll.CustomLevel(one_off, "one part differs"),
                cll.ElseLevel(),
            ],
            output_column_name="date_of_birth",
        ),
        cl.ExactMatch("sex"),
    ]
    for column in ("document", "phone", "email", "city", "postcode", "region"):
        if column in present:
            comparisons.append(cl.ExactMatch(column))
    if "address" in present:
        comparisons.append(cl.JaroWinklerAtThresholds("address", [0.9, 0.8]))
    return SettingsCreator(
        link_type="dedupe_only" if dedupe else "link_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("document"),
            block_on("phone"),
            block_on("email"),
            block_on(*ymd),
            block_on("given_1", "surname_1"),
            block_on("surname_1", "birth_year"),
            block_on("given_1", "birth_year"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,  # per-comparison weights explain a pair
        **EM_STOPPING,
    )


def _plain_training(linker: Linker, pairs: int) -> None:
    rule = "l.given_1 = r.given_1 and l.surname_1 = r.surname_1 and l.birth_year = r.birth_year"
    prior_set(linker, [rule], recall=0.7)
    for blocking in (
        block_on("birth_year", "birth_month", "birth_day"),
        block_on("given_1", "surname_1"),
    ):
        em_session(linker, blocking)

"""Encoded linkage: Splink's Fellegi–Sunter model, trained by EM without labels, on what
crosses borders (DESIGN.md rule 2).

Records carry only the record's CLK, birth year, sex and keyed identifier tokens; the model
compares the Dice similarity of the CLKs, birth year, sex and shared tokens, and a shared token
links by itself. Plain mode (plain.py) and this one share splink_engine's pipeline, and
one_to_one and clusters below work on either's pairs. The SQL is the same on DuckDB (default)
and Spark: Dice is computed natively from sixteen 64-bit words with bit_count, no UDF.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

from quipu.linkage.encoding import CLK_BITS, CLK_BYTES, dice, identifier_token, person_encode
from quipu.linkage.keys import LinkageKey
from quipu.linkage.normalise import (
    name_parts,
    parse_date,
    sex_code,
)
from quipu.linkage.splink_engine import (
    EM_MAX_PAIRS,
    EM_STOPPING,
    SEED,
    Progress,
    em_session,
    prior_set,
    run_splink,
    trained_model,
)

CLK_WORDS = CLK_BYTES // 8
# Bit-sampling LSH over the CLK: two records meet when all sampled bits of one band agree.
# 16 bands of 12 bits put a pair with Dice 0.8 in a common band with probability ~0.9, and a
# random pair with ~0.002.
BANDS = 16
BAND_BITS = 12
MIN_BAND_POPCOUNT = 64  # a near-empty CLK (no name) would fall in one huge band
DICE_LEVELS = (0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6)
CONTAINED_FROM = 0.9  # the containment level comes after this Dice level
CONTAINED_SLACK = 0.08
# Where EM starts (and stays, on a set too small to train): the shares of true pairs in each
# level of name_dob_dice on noisy_pairs, from 0.95 down to "else".
PERSON_START_M = (0.36, 0.2, 0.15, 0.08, 0.05, 0.04, 0.03, 0.02, 0.04, 0.01)
TOKEN_LINK_PROBABILITY = 0.999  # a shared document, phone or e-mail links on its own
TOKEN_FANOUT_LIMIT = 50  # a token on more records than this is a hotline, not a person
TOKEN_KIND_ORDER = ("document", "phone", "email", "social_handle", "bank_account", "plate")


@dataclass(frozen=True)
class EncodedRecord:
    """What the matcher sees of a person: no plaintext (DESIGN.md rule 2)."""

    record_id: str
    group: str  # the contributing country, or the side of a file link
    clk: bytes  # 1024-bit Bloom filter of names, birth date and sex (encoding.person_encode)
    birth_year: int | None
    sex: str | None
    tokens: frozenset[str] = frozenset()  # "kind:hmac", see tagged_token


@dataclass(frozen=True)
class ScoredPair:
    left_id: str
    right_id: str
    match_probability: float
    components: dict[str, Any] = field(default_factory=dict, compare=False)


def tagged_token(kind: str, token: str) -> str:
    """The form tokens take in EncodedRecord.tokens: the kind is public, the value is not."""
    return f"{kind}:{token}"


def token_kind(tagged: str) -> str:
    return tagged.partition(":")[0]


def encoded_record(
    row: Mapping[str, str | None], *, record_id: str, group: str, key: LinkageKey
) -> EncodedRecord:
    """Encode a plaintext row with the standard field names (PLAIN_FIELDS); fields that do not
    normalise are left out, so validate first where errors must be reported."""
    name = _row_name(row)
    born = parse_date(row.get("date_of_birth") or None)
    sex = sex_code(row.get("sex"))
    encoding = person_encode(name=name, birth_date=born, sex=sex, key=key)
    tokens = set()
    for kind, value, country in _identifiers(row):
        token = identifier_token(kind, value, key=key, country=country, default_region=country)
        if token is not None:
            tokens.add(tagged_token(kind, token.token))
    return EncodedRecord(
        record_id=record_id,
        group=group,
        clk=encoding.clk,
        birth_year=born.year if born else None,
        sex=sex,
        tokens=frozenset(tokens),
    )


def _row_name(row: Mapping[str, str | None]):
    given, surnames = row.get("given_name") or "", row.get("surname") or ""
    if given or surnames:
        return name_parts(given=given, surnames=surnames)
    return name_parts(row.get("full_name") or "")


def _identifiers(row: Mapping[str, str | None]) -> list[tuple[str, str, str | None]]:
    country = row.get("country") or None
    found = []
    if row.get("document_number"):
        found.append(("document", row["document_number"], row.get("document_country") or country))
    for kind in ("phone", "email"):
        if row.get(kind):
            found.append((kind, row[kind], country))
    return found


# --- encoded mode ----------------------------------------------------------------------------


def link_encoded(
    left: Sequence[EncodedRecord],
    right: Sequence[EncodedRecord] | None = None,
    *,
    backend: str = "duckdb",
    threshold: float = 0.5,
    progress: Progress | None = None,
    model: dict | None = None,
) -> list[ScoredPair]:
    """Score pairs of encoded records at or above `threshold`. With `right`, every left record
    is compared with every right one; without, records of different groups (countries) are
    compared and records of one group never are. With `model` (from `encoded_model`), its
    trained parameters are used as they are, with no training on these records."""
    tables = _encoded_tables(left, right)
    by_id = {(name, r.record_id): r for name, records in tables.items() for r in records}
    scored: dict[tuple[tuple[str, str], tuple[str, str]], float] = {}
    if sum(1 for records in tables.values() if records) >= 2:
        columns = {name: _encoded_columns(records) for name, records in tables.items() if records}
        predictions, _model = run_splink(
            columns,
            settings=_encoded_settings(),
            training=_encoded_training,
            backend=backend,
            threshold=threshold,
            progress=progress,
            model=model,
        )
        for row in predictions:
            a, b = (
                (row["source_dataset_l"], row["unique_id_l"]),
                (
                    row["source_dataset_r"],
                    row["unique_id_r"],
                ),
            )
            scored[tuple(sorted((a, b)))] = row["match_probability"]
    for a, b in _token_pairs(tables):
        scored[(a, b)] = max(scored.get((a, b), 0.0), TOKEN_LINK_PROBABILITY)
    pairs = [
        ScoredPair(a[1], b[1], float(p), _encoded_components(by_id[a], by_id[b]))
        for (a, b), p in scored.items()
        if p >= threshold
    ]
    return sorted(pairs, key=lambda pair: (-pair.match_probability, pair.left_id, pair.right_id))


def link_tokens(records: Sequence[EncodedRecord]) -> list[ScoredPair]:
    """The pairs of records of different groups that share a token, scored as link_encoded
    scores them at the least (a shared token links on its own), without the model: what a
    first pass can announce in seconds while the full run is still to come."""
    tables = _encoded_tables(records, None)
    by_id = {(name, r.record_id): r for name, group in tables.items() for r in group}
    pairs = [
        ScoredPair(a[1], b[1], TOKEN_LINK_PROBABILITY, _encoded_components(by_id[a], by_id[b]))
        for a, b in _token_pairs(tables)
    ]
    return sorted(pairs, key=lambda pair: (pair.left_id, pair.right_id))


def encoded_model(records: Sequence[EncodedRecord], *, backend: str = "duckdb") -> dict:
    """Train the encoded model (u by sampling, m by EM) on records of several groups and return
    Splink's parameters as JSON: probabilities per comparison level, no records."""
    tables = _encoded_tables(records, None)
    if sum(1 for group in tables.values() if group) < 2:
        raise ValueError("training needs records of at least two groups")
    columns = {name: _encoded_columns(group) for name, group in tables.items() if group}
    return trained_model(
        columns, settings=_encoded_settings(), training=_encoded_training, backend=backend
    )[2]


def _encoded_tables(
    left: Sequence[EncodedRecord], right: Sequence[EncodedRecord] | None
) -> dict[str, list[EncodedRecord]]:
    if right is None:
        groups: dict[str, list[EncodedRecord]] = {}
        for record in left:
            groups.setdefault(record.group, []).append(record)
        tables = dict(sorted(groups.items()))
    else:
        tables = {"left": list(left), "right": list(right)}
    _check_unique(tables, across=right is None)
    for records in tables.values():
        _clk_matrix(records)  # refuses a CLK of the wrong size before any work
    return tables


def _check_unique(tables: Mapping[str, Sequence[EncodedRecord]], *, across: bool) -> None:
    seen: set[tuple[str, str]] = set()
    for name, records in tables.items():
        for record in records:
            key = ("", record.record_id) if across else (name, record.record_id)
            if key in seen:
                raise ValueError(f"record ids must be unique; repeated: {record.record_id}")
            seen.add(key)


def _clk_matrix(records: Sequence[EncodedRecord]) -> np.ndarray:
    for record in records:
        if len(record.clk) != CLK_BYTES:
            raise ValueError(f"record {record.record_id}: a CLK has {CLK_BYTES} bytes")
    return np.frombuffer(b"".join(r.clk for r in records), dtype=np.uint8).reshape(-1, CLK_BYTES)


def _band_positions() -> np.ndarray:
    return np.random.default_rng(SEED).random((BANDS, CLK_BITS)).argsort(axis=1)[:, :BAND_BITS]


def _encoded_columns(records: Sequence[EncodedRecord]) -> dict[str, list]:
    clks = _clk_matrix(records)
    # Big-endian words, so word i holds bits 64i..64i+63 in encoding.py's bit order.
    words = clks.view(">u8").astype(np.uint64).view(np.int64)
    bits = np.unpackbits(clks, axis=1)
    popcount = bits.sum(axis=1)
    weights = 1 << np.arange(BAND_BITS, dtype=np.int64)
    bands = (bits[:, _band_positions()].astype(np.int64) * weights).sum(axis=2)
    columns: dict[str, list] = {
        "unique_id": [r.record_id for r in records],
        "clk_bits": [int(c) or None for c in popcount],
        "birth_year": [r.birth_year for r in records],
        "sex": [r.sex for r in records],
        "tokens": [sorted(r.tokens) or None for r in records],
    }
    for i in range(CLK_WORDS):
        columns[f"clk_{i}"] = words[:, i].tolist()
    for band in range(BANDS):
        columns[f"band_{band}"] = [
            int(key) if count >= MIN_BAND_POPCOUNT else None
            for key, count in zip(bands[:, band], popcount, strict=True)
        ]
    return columns


def common_bits_sql(left: str = "{}_l", right: str = "{}_r") -> str:
    """Bits set in both CLKs, stored as clk_0..clk_15 (BIGINT), in SQL that DuckDB and Spark
    both run; `left`/`right` place a column name ("{}_l", or "l.{}" in blocking rules)."""
    return (
        "("
        + " + ".join(
            f"cast(bit_count({left.format(f'clk_{i}')} & {right.format(f'clk_{i}')}) as int)"
            for i in range(CLK_WORDS)
        )
        + ")"
    )


def dice_sql(left: str = "{}_l", right: str = "{}_r") -> str:
    """Dice 2|A∩B| / (|A|+|B|) of two CLKs in SQL (see common_bits_sql)."""
    total = f"({left.format('clk_bits')} + {right.format('clk_bits')})"
    # Integers divided give a double on both engines (a 2.0 literal would make Spark decimals).
    return f"(2 * {common_bits_sql(left, right)} / {total})"


def _contained_sql() -> str:
    """Nearly all bits of the smaller CLK are in the larger: the same person recorded with
    fewer fields (no date of birth, a dropped maternal surname or second given name)."""
    smaller = "least(clk_bits_l, clk_bits_r)"
    return f"({smaller} - {common_bits_sql()}) <= {CONTAINED_SLACK} * {smaller}"


def _encoded_settings() -> SettingsCreator:
    # Dice and birth year are one comparison: the CLK holds the year's bits, so apart they
    # would count one agreement twice, and EM would take same-year strangers with a middling
    # Dice for matches (Fellegi–Sunter assumes independent comparisons).
    dice = dice_sql()
    same_year = "birth_year_l = birth_year_r"
    no_year = "(birth_year_l is null or birth_year_r is null)"
    year_agrees = f"({same_year} or {no_year})"

    def same_year_at(level: float) -> cll.CustomLevel:
        return cll.CustomLevel(f"{dice} >= {level} and {same_year}", f"dice >= {level}, same year")

    person_levels = [
        cll.CustomLevel(f"{dice} >= 0.95", "dice >= 0.95"),
        cll.CustomLevel(f"{dice} >= 0.9 and {year_agrees}", "dice >= 0.9"),
        same_year_at(0.85),
        same_year_at(0.8),
        same_year_at(0.75),
        cll.CustomLevel(
            f"{dice} >= 0.65 and {year_agrees} and {_contained_sql()}", "one record has less"
        ),
        same_year_at(0.7),
        cll.CustomLevel(f"{dice} >= 0.85", "dice >= 0.85, other year"),
        cll.CustomLevel(f"{dice} >= 0.75", "dice >= 0.75, other year"),
        cll.ElseLevel(),
    ]
    return SettingsCreator(
        link_type="link_only",
        comparisons=[
            _starting_m(
                "name_dob_dice", [cll.NullLevel("clk_bits"), *person_levels], PERSON_START_M
            ),
            _starting_m(
                "sex",
                [cll.NullLevel("sex"), cll.ExactMatchLevel("sex"), cll.ElseLevel()],
                (0.98, 0.02),
            ),
            _starting_m(
                "tokens",
                [cll.NullLevel("tokens"), cll.ArrayIntersectLevel("tokens", 1), cll.ElseLevel()],
                (0.35, 0.65),
            ),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("tokens", arrays_to_explode=["tokens"]),
            block_on("birth_year", "sex"),
            *(block_on(f"band_{band}") for band in range(BANDS)),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        **EM_STOPPING,
    )


def _starting_m(name: str, levels: list, m_values: Sequence[float]) -> cl.CustomComparison:
    """A comparison whose levels (after the null level) start EM from these m values, so a
    set too small to train on still gets a sensible model."""
    for level, m_value in zip(levels[1:], m_values, strict=True):
        level.configure(m_probability=m_value)
    return cl.CustomComparison(levels, output_column_name=name)


def _encoded_training(linker: Linker, pairs: int) -> None:
    close_names = f"{dice_sql('l.{}', 'r.{}')} >= 0.8"
    prior_set(linker, [f"l.birth_year = r.birth_year and {close_names}"], recall=0.8)
    # Blocked on sex alone (sampled): the CLK holds the year's bits, so blocking on the year
    # would raise the Dice of non-matches and teach EM that a middling Dice is a match.
    em_session(linker, block_on("sex"), max_pairs=EM_MAX_PAIRS if pairs > EM_MAX_PAIRS else None)
    # Blocked on near CLKs: trains sex and tokens (the CLK is in the rule, so left out).
    em_session(linker, f"l.band_0 = r.band_0 and {dice_sql('l.{}', 'r.{}')} >= 0.6")


def _token_pairs(
    tables: Mapping[str, Sequence[EncodedRecord]],
) -> set[tuple[tuple[str, str], tuple[str, str]]]:
    """Pairs of records in different tables that share a token: linked whatever else says."""
    holders: dict[str, list[tuple[str, str]]] = {}
    for name, records in tables.items():
        for record in records:
            for token in record.tokens:
                holders.setdefault(token, []).append((name, record.record_id))
    pairs = set()
    for members in holders.values():
        if len(members) > TOKEN_FANOUT_LIMIT:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a[0] != b[0]:
                    pairs.add(tuple(sorted((a, b))))
    return pairs


def _encoded_components(a: EncodedRecord, b: EncodedRecord) -> dict[str, Any]:
    """Which parts agreed; a token's kind only, never its value."""
    if a.birth_year is None or b.birth_year is None:
        year = "unknown"
    else:
        year = {0: "equal", 1: "close"}.get(abs(a.birth_year - b.birth_year), "different")
    components: dict[str, Any] = {
        "name_dob_dice": round(dice(a.clk, b.clk), 3),
        "birth_year": year,
        "sex": "unknown" if not (a.sex and b.sex) else "equal" if a.sex == b.sex else "different",
    }
    shared = {token_kind(token) for token in a.tokens & b.tokens}
    if shared:
        components["token"] = min(shared, key=_kind_rank)
    return components


def _kind_rank(kind: str) -> int:
    return TOKEN_KIND_ORDER.index(kind) if kind in TOKEN_KIND_ORDER else len(TOKEN_KIND_ORDER)


# --- from pairs to decisions -----------------------------------------------------------------


def one_to_one(pairs: Iterable[ScoredPair]) -> list[ScoredPair]:
    """Greedy by probability (ties by ids): each left and each right id at most once."""
    used_left: set[str] = set()
    used_right: set[str] = set()
    kept = []
    for pair in sorted(pairs, key=lambda p: (-p.match_probability, p.left_id, p.right_id)):
        if pair.left_id in used_left or pair.right_id in used_right:
            continue
        used_left.add(pair.left_id)
        used_right.add(pair.right_id)
        kept.append(pair)
    return kept


def clusters(pairs: Iterable[ScoredPair], *, threshold: float = 0.5) -> list[set[str]]:
    """Connected components (union-find) of the pairs at or above `threshold`: one phone seen
    in three countries makes one cluster of three. Largest first; singletons left out."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]  # path halving keeps the trees flat
            node = parent[node]
        return node

    for pair in pairs:
        if pair.match_probability >= threshold:
            a, b = root(pair.left_id), root(pair.right_id)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, set[str]] = {}
    for node in list(parent):
        groups.setdefault(root(node), set()).add(node)
    return sorted(groups.values(), key=lambda group: (-len(group), min(group)))

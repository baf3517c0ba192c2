"""Linkage speed: all-pairs Dice against anonlink, and linking a million records a side.

1. Dice: every pair of 10,000 x 10,000 real CLKs scored by quipu.linkage.matcher.dice and by
   anonlink's C++ kernel (`dice_coefficient_accelerated`, the anchor), on the same CLKs in the
   same run, at three thresholds; both must return the same pairs. Reported as our seconds over
   anonlink's (below 1 is faster), the median of interleaved repeats.
2. End to end, at 10k, 100k and 1M records a side, each scale in a fresh process so that its
   peak memory (RSS high-water mark) is its own:
   - generate: quipu.linkage.noisy records with known truth (two thirds of each side have a
     partner on the other), in chunks on a pool of two processes; not part of linking;
   - encode: the project's encoder (person_feature_values, field_tokens, bloom_filter and
     identifier_token of quipu.linkage.encoding) with each field's filter memoised by value,
     which gives the same bits as encoded_record (tests/linkage/test_bulk_encoding.py), on the
     same pool; its wall time is the pool's wall time times the workers' share spent encoding;
   - block: LSH bands on the CLK and shared exact tokens (quipu.linkage.matcher.blocking);
   - score: Dice of every candidate pair (quipu.linkage.matcher.dice), two threads over bands;
   - cluster: links are shared tokens, and pairs close enough (Dice >= LINK_DICE, or >=
     LINK_DICE_SAME_YEAR with equal birth year and sex) that are each other's best partner
     (Dice, plus YEAR_BONUS where years agree; a token-linked record has its partner);
     connected components (quipu.linkage.matcher.clusters). Precision and recall of the
     cross-side pairs the clusters imply, against the generator's truth, so that speed is
     not bought with quality.
Set QUIPU_BENCH_QUICK=1 (or pass --quick) for a small run: 2k x 2k Dice, 2k and 10k a side.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from multiprocessing import get_context
from typing import Any

import numpy as np

from quipu.linkage.encoding import (
    CLK_BYTES,
    KDF_INFO,
    KDF_KEY_SIZE,
    KDF_SALT,
    PERSON_FIELDS,
    bloom_filter,
    field_tokens,
    identifier_token,
    person_feature_values,
)
from quipu.linkage.keys import bloom_keys, linkage_key_from_secret
from quipu.linkage.normalise import parse_date, sex_code
from quipu.linkage.scoring import _identifiers, _row_name, tagged_token

SECRET = "quipu benchmark linkage secret, public and never used for real data"  # noqa: S105
SEED = 7
CHUNK_RECORDS = 5000  # records a side per generated chunk
SCALES = (10_000, 100_000, 1_000_000)
QUICK_SCALES = (2_000, 10_000)
DICE_RECORDS = 10_000
QUICK_DICE_RECORDS = 2_000
DICE_THRESHOLDS = (0.7, 0.8, 0.9)
DICE_REPEATS = 3
WORKERS = 2
CANDIDATE_DICE = 0.72  # candidate pairs scoring below this are dropped at once
LINK_DICE = 0.8
LINK_DICE_SAME_YEAR = 0.72
YEAR_BONUS = 0.04  # added to Dice when choosing each record's best partner, if years agree
MAX_BUCKET = 5000  # an LSH bucket holding more records than this is skipped
COMPACT_AT = 8_000_000  # pairs held before duplicates found by several bands are dropped
BUDGET_SECONDS = 600


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quipu.config.settings")
    import django

    django.setup()


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


# --- encoding ----------------------------------------------------------------------------------


class BulkEncoder:
    """encoded_record's output (CLK, birth year, sex, tokens) for many rows: the same functions,
    with each token's and each field value's Bloom filter memoised (names, bigrams, years and
    days repeat)."""

    def __init__(self, secret: str = SECRET):
        self.key = linkage_key_from_secret(secret)
        keys = bloom_keys(
            self.key,
            fields=len(PERSON_FIELDS),
            salt=KDF_SALT,
            info=KDF_INFO,
            key_size=KDF_KEY_SIZE,
        )
        self._fields = tuple(zip(PERSON_FIELDS, keys, strict=True))
        self._filter = lru_cache(maxsize=1 << 18)(self._field_filter)
        self._token_filter = lru_cache(maxsize=1 << 16)(self._one_token_filter)
        # Normalisation is pure, and dates, sexes and names recur across a million rows.
        self._date = lru_cache(maxsize=1 << 18)(parse_date)
        self._sex = lru_cache(maxsize=1 << 10)(sex_code)
        self._name_bits = lru_cache(maxsize=1 << 18)(self._name_filter)

    def _name_filter(self, given: str | None, surname: str | None, full_name: str | None) -> int:
        row = {"given_name": given, "surname": surname, "full_name": full_name}
        return self._bits(person_feature_values(name=_row_name(row), birth_date=None, sex=None))

    def _bits(self, values: dict[str, str]) -> int:
        bits = 0
        for index, (spec, _) in enumerate(self._fields):
            if values[spec.name]:
                bits |= self._filter(index, values[spec.name])
        return bits

    def _field_filter(self, index: int, value: str) -> int:
        # A Bloom filter is the OR of its tokens' bits, so a field is the OR of its tokens'
        # one-token filters; bigrams and exact values repeat far more often than whole names.
        bits = 0
        for token in field_tokens(self._fields[index][0], value):
            bits |= self._token_filter(index, token)
        return bits

    def _one_token_filter(self, index: int, token: str) -> int:
        spec, keys = self._fields[index]
        return int.from_bytes(bloom_filter((token,), keys, spec.bits_per_token), "big")

    def encode(self, row: dict[str, str]) -> tuple[bytes, int, str, list[str]]:
        """(CLK, birth year or 0, sex code or "", tagged tokens) of one plaintext row."""
        born = self._date(row.get("date_of_birth") or None)
        sex = self._sex(row.get("sex"))
        # Each field's value depends on its own input only: names apart from date and sex.
        clk = self._name_bits(row.get("given_name"), row.get("surname"), row.get("full_name"))
        clk |= self._bits(person_feature_values(name=None, birth_date=born, sex=sex))
        tokens = []
        for kind, value, country in _identifiers(row):
            token = identifier_token(
                kind, value, key=self.key, country=country, default_region=country
            )
            if token is not None:
                tokens.append(tagged_token(kind, token.token))
        return clk.to_bytes(CLK_BYTES, "big"), born.year if born else 0, sex or "", tokens


_encoder: BulkEncoder | None = None


def _chunk(task: tuple[int, int, int]) -> dict[str, Any]:
    """One generated chunk, encoded: what a country would send, plus the truth."""
    global _encoder
    from quipu.linkage.noisy import noisy_pairs

    seed, pairs, unmatched = task
    if _encoder is None:
        _encoder = BulkEncoder()
    started, cpu = time.perf_counter(), time.process_time()
    data = noisy_pairs(pairs, unmatched=unmatched, seed=seed)
    generated, generated_cpu = time.perf_counter(), time.process_time()
    sides = {}
    for name, rows in (("left", data.left), ("right", data.right)):
        encoded = [_encoder.encode(row) for row in rows]
        token_rows = [i for i, record in enumerate(encoded) for _ in record[3]]
        sides[name] = {
            "clks": b"".join(record[0] for record in encoded),
            "years": np.array([record[1] for record in encoded], dtype=np.int16),
            "sexes": np.array([{"F": 1, "M": 2}.get(record[2], 0) for record in encoded], np.int8),
            "token_rows": np.array(token_rows, dtype=np.int64),
            "tokens": [token for record in encoded for token in record[3]],
        }
    position = {
        side: {row["id"]: i for i, row in enumerate(rows)}
        for side, rows in (("left", data.left), ("right", data.right))
    }
    truth = np.array(
        [(position["left"][a], position["right"][b]) for a, b in sorted(data.truth)],
        dtype=np.int64,
    ).reshape(-1, 2)
    return {
        **sides,
        "truth": truth,
        "generate_seconds": generated - started,
        "encode_seconds": time.perf_counter() - generated,
        "encode_cpu_seconds": time.process_time() - generated_cpu,
        "generate_cpu_seconds": generated_cpu - cpu,
    }


def generate_and_encode(records: int, *, workers: int = WORKERS) -> dict[str, Any]:
    """`records` a side, in chunks on a process pool; arrays concatenated in chunk order."""
    tasks = []
    for number, start in enumerate(range(0, records, CHUNK_RECORDS)):
        size = min(CHUNK_RECORDS, records - start)
        pairs = size * 2 // 3
        tasks.append((SEED * 1_000_003 + number, pairs, size - pairs))
    started = time.perf_counter()
    with get_context("fork").Pool(workers) as pool:
        chunks = pool.map(_chunk, tasks, chunksize=1)
    wall = time.perf_counter() - started
    merged: dict[str, Any] = {"wall": wall}
    for side in ("left", "right"):
        offsets = np.cumsum([0] + [len(c[side]["years"]) for c in chunks])
        merged[side] = {
            "clks": np.frombuffer(b"".join(c[side]["clks"] for c in chunks), np.uint8).reshape(
                -1, 128
            ),
            "years": np.concatenate([c[side]["years"] for c in chunks]),
            "sexes": np.concatenate([c[side]["sexes"] for c in chunks]),
            "token_rows": np.concatenate(
                [c[side]["token_rows"] + offset for c, offset in zip(chunks, offsets, strict=False)]
            ),
            "tokens": [token for c in chunks for token in c[side]["tokens"]],
        }
        merged[f"{side}_offsets"] = offsets
    merged["truth"] = np.concatenate(
        [
            c["truth"] + [merged["left_offsets"][i], merged["right_offsets"][i]]
            for i, c in enumerate(chunks)
        ]
    )
    generate = sum(c["generate_seconds"] for c in chunks)
    encode = sum(c["encode_seconds"] for c in chunks)
    merged["generate_wall"] = wall * generate / (generate + encode)
    merged["encode_wall"] = wall * encode / (generate + encode)
    merged["encode_cpu_seconds"] = sum(c["encode_cpu_seconds"] for c in chunks)
    merged["generate_cpu_seconds"] = sum(c["generate_cpu_seconds"] for c in chunks)
    return merged


# --- end to end --------------------------------------------------------------------------------


def link(data: dict[str, Any]) -> dict[str, Any]:
    """Block, score and cluster encoded records; stage times, counts and quality."""
    from quipu.linkage.matcher.blocking import (
        band_join,
        band_keys,
        band_layout,
        key_join,
        token_keys,
    )
    from quipu.linkage.matcher.clusters import cluster_sizes, components
    from quipu.linkage.matcher.dice import dice_of_pairs, packed, popcounts
    from quipu.linkage.scoring import TOKEN_FANOUT_LIMIT

    left, right = data["left"], data["right"]
    words_l, words_r = packed(left["clks"]), packed(right["clks"])
    counts_l, counts_r = popcounts(words_l), popcounts(words_r)
    layout = band_layout()

    def scored(pairs, keep: float) -> tuple[tuple, float, float, int]:
        """(pair codes, scores) at or above `keep`, and the seconds spent making and scoring."""
        codes, scores, blocking, scoring, candidates = [], [], 0.0, 0.0, 0
        clock = time.perf_counter()
        for rows_l, rows_r in pairs:
            started = time.perf_counter()
            blocking += started - clock
            dice = dice_of_pairs(
                words_l, words_r, rows_l, rows_r, left_counts=counts_l, right_counts=counts_r
            )
            kept = dice >= keep
            codes.append(rows_l[kept] * len(words_r) + rows_r[kept])
            scores.append(dice[kept])
            candidates += len(rows_l)
            clock = time.perf_counter()
            scoring += clock - started
        return (
            (_joined(codes, np.int64), _joined(scores, np.float64)),
            blocking,
            scoring,
            candidates,
        )

    def band(index: int) -> tuple[tuple, float, float, int]:
        started = time.perf_counter()
        one = layout.band(index)
        keys_l = band_keys(left["clks"], one, counts=counts_l)[:, 0]
        keys_r = band_keys(right["clks"], one, counts=counts_r)[:, 0]
        keyed = time.perf_counter() - started
        found, blocking, scoring, candidates = scored(
            band_join(keys_l, keys_r, left["years"], right["years"], max_bucket=MAX_BUCKET),
            CANDIDATE_DICE,
        )
        return found, keyed + blocking, scoring, candidates

    started, cpu = time.perf_counter(), time.process_time()
    results, pending, held = [], [], 0
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for result in pool.map(band, range(len(layout.masks))):
            # A true pair meets in dozens of bands: keep each pair once as results arrive.
            results.append(result[1:])
            pending.append(result[0])
            held += len(result[0][0])
            if held > COMPACT_AT:
                pending = [_unique_pairs(pending)]
                held = len(pending[0][0])
    token_started = time.perf_counter()
    tokens = scored(
        key_join(
            token_keys(left["tokens"]),
            token_keys(right["tokens"]),
            left_rows=left["token_rows"],
            right_rows=right["token_rows"],
            max_bucket=TOKEN_FANOUT_LIMIT,
        ),
        0.0,
    )
    token_seconds = time.perf_counter() - token_started
    pair_codes, scores = _unique_pairs(pending)
    rows_l, rows_r = np.divmod(pair_codes, len(words_r))
    token_codes = np.unique(tokens[0][0])
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    # Thread seconds per stage, scaled to the wall time both threads shared.
    blocking = sum(result[0] for result in results)
    scoring = sum(result[1] for result in results)
    band_wall = token_started - started
    block_wall = band_wall * blocking / (blocking + scoring) + token_seconds * tokens[1] / max(
        tokens[1] + tokens[2], 1e-9
    )
    score_wall = wall - block_wall
    block_cpu = cpu * block_wall / wall

    started, cluster_cpu = time.perf_counter(), time.process_time()
    link_codes = links(data, rows_l, rows_r, scores, token_codes)
    link_l, link_r = np.divmod(link_codes, len(words_r))
    nodes = len(words_l) + len(words_r)
    labels = components(nodes, link_l, link_r + len(words_l))
    sizes = cluster_sizes(labels)
    cluster_wall = time.perf_counter() - started
    cluster_cpu = time.process_time() - cluster_cpu

    truth = data["truth"]
    truth_codes = truth[:, 0] * len(words_r) + truth[:, 1]
    per_left = np.bincount(labels[: len(words_l)], minlength=nodes)
    per_right = np.bincount(labels[len(words_l) :], minlength=nodes)
    implied = int((per_left * per_right).sum())
    found_true = int((labels[truth[:, 0]] == labels[truth[:, 1] + len(words_l)]).sum())
    links_true = int(np.isin(link_codes, truth_codes).sum())
    candidates = sum(result[2] for result in results)
    return {
        "seconds": {
            "block": round(block_wall, 2),
            "score": round(score_wall, 2),
            "cluster": round(cluster_wall, 2),
        },
        "cpu_seconds": {
            "block": round(block_cpu, 2),
            "score": round(cpu - block_cpu, 2),
            "cluster": round(cluster_cpu, 2),
        },
        "counts": {
            "band_candidate_pairs": candidates,
            "band_candidates_per_record": round(candidates / len(words_l), 1),
            "token_candidate_pairs": tokens[3],
            "pairs_scored_at_least_candidate_dice": len(pair_codes),
            "links": len(link_codes),
            "clusters": len(sizes),
            "largest_cluster": int(sizes[0]) if len(sizes) else 0,
            "true_pairs": len(truth),
        },
        "quality": {
            "clusters": _quality(found_true, implied, len(truth)),
            "links": _quality(links_true, len(link_codes), len(truth)),
            "candidate_recall": round(float(np.isin(truth_codes, pair_codes).mean()), 4),
        },
    }


def _joined(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype)


def _unique_pairs(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(codes, scores) with each pair code once; a pair has one score, whichever band found it."""
    codes = _joined([part[0] for part in parts], np.int64)
    scores = _joined([part[1] for part in parts], np.float64)
    codes, first = np.unique(codes, return_index=True)
    return codes, scores[first]


def links(
    data: dict[str, Any],
    rows_l: np.ndarray,
    rows_r: np.ndarray,
    scores: np.ndarray,
    token_codes: np.ndarray,
) -> np.ndarray:
    """Pair codes (left row * right records + right row) of the links: a shared token, or a
    pair that is each record's best on the other side and close enough. Best partners only,
    because a sibling or namesake is often close too, and two such links chain clusters; a
    record linked by a token has its partner already (as scoring.py, a token links alone)."""
    left, right = data["left"], data["right"]
    same_year = (left["years"][rows_l] == right["years"][rows_r]) & (left["years"][rows_l] > 0)
    same_sex = left["sexes"][rows_l] == right["sexes"][rows_r]
    close = (scores >= LINK_DICE) | ((scores >= LINK_DICE_SAME_YEAR) & same_year & same_sex)
    # Best partners by Dice, a shade higher where the birth years agree (a Dice tie between a
    # namesake and the person is common at a million a side; the year breaks it).
    rank = np.where(same_year, scores + YEAR_BONUS, scores)
    rows_l, rows_r, scores = rows_l[close], rows_r[close], rank[close]
    best_l = np.zeros(len(left["years"]))
    best_r = np.zeros(len(right["years"]))
    token_l, token_r = np.divmod(token_codes, len(right["years"]))
    best_l[token_l] = best_r[token_r] = 2.0  # above any rank
    np.maximum.at(best_l, rows_l, scores)
    np.maximum.at(best_r, rows_r, scores)
    mutual = (scores == best_l[rows_l]) & (scores == best_r[rows_r])
    codes = rows_l[mutual] * len(right["years"]) + rows_r[mutual]
    return np.union1d(codes, token_codes)


def _quality(true_positives: int, found: int, truth: int) -> dict[str, float]:
    precision = true_positives / found if found else 0.0
    recall = true_positives / truth if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def scale_run(records: int) -> dict[str, Any]:
    """One scale, end to end, in this process (run it in a fresh one for its peak memory)."""
    _setup_django()
    data = generate_and_encode(records)
    result = link(data)
    seconds = {"encode": round(data["encode_wall"], 2), **result["seconds"]}
    cpu_seconds = {"encode": round(data["encode_cpu_seconds"], 2), **result["cpu_seconds"]}
    return {
        "records_per_side": records,
        "seconds": seconds,
        "pipeline_seconds": round(sum(seconds.values()), 2),
        # CPU seconds of both cores together; on a shared machine they vary less than wall.
        "cpu_seconds": cpu_seconds,
        "pipeline_cpu_seconds": round(sum(cpu_seconds.values()), 2),
        "generate_seconds": round(data["generate_wall"], 2),
        "generate_cpu_seconds": round(data["generate_cpu_seconds"], 2),
        "load_average": os.getloadavg(),
        "peak_rss_mb": {
            "linking_process": _peak_mb(),
            "largest_encoding_worker": _peak_mb(resource.RUSAGE_CHILDREN),
        },
        "counts": result["counts"],
        "quality": result["quality"],
    }


# --- all-pairs Dice against anonlink ---------------------------------------------------------


def dice_versus_anonlink(records: int) -> dict[str, Any]:
    _setup_django()
    from anonlink.similarities import dice_coefficient_accelerated
    from bitarray import bitarray

    from quipu.linkage.matcher.dice import dice_pairs_above, packed

    data = generate_and_encode(records)
    clks = {side: data[side]["clks"] for side in ("left", "right")}
    words = {side: packed(clks[side]) for side in clks}

    def bits(matrix: np.ndarray) -> list:
        arrays = []
        for row in matrix:
            array = bitarray(endian="big")  # clkhash's order: bit 0 is byte 0's high bit
            array.frombytes(row.tobytes())
            arrays.append(array)
        return arrays

    datasets = [bits(clks["left"]), bits(clks["right"])]
    results = {}
    for threshold in DICE_THRESHOLDS:
        ours, theirs, ours_cpu, theirs_cpu, same = [], [], [], [], True
        for _ in range(DICE_REPEATS):  # interleaved, so both meet the same load
            started, cpu = time.perf_counter(), time.process_time()
            scores, (rows_l, rows_r) = dice_coefficient_accelerated(datasets, threshold)
            theirs.append(time.perf_counter() - started)
            theirs_cpu.append(time.process_time() - cpu)
            started, cpu = time.perf_counter(), time.process_time()
            pairs = dice_pairs_above(words["left"], words["right"], threshold, workers=WORKERS)
            ours.append(time.perf_counter() - started)
            ours_cpu.append(time.process_time() - cpu)
            expected = dict(zip(zip(rows_l, rows_r, strict=True), scores, strict=True))
            found = zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)
            got = dict(zip(found, pairs.score.tolist(), strict=True))
            same = (
                same
                and expected.keys() == got.keys()
                and all(abs(expected[pair] - got[pair]) < 1e-9 for pair in got)
            )
        median, median_theirs = statistics.median(ours), statistics.median(theirs)
        results[str(threshold)] = {
            "pairs": len(pairs.score),
            "same_pairs_as_anonlink": same,
            "seconds": round(median, 3),
            "anonlink_seconds": round(median_theirs, 3),
            "ratio_to_anonlink": round(median / median_theirs, 3),
            # CPU seconds (ours on up to WORKERS threads, anonlink's on one): the work done,
            # which a busy machine disturbs less than it does the wall clock.
            "cpu_seconds": round(statistics.median(ours_cpu), 3),
            "anonlink_cpu_seconds": round(statistics.median(theirs_cpu), 3),
        }
    return {"records_per_side": records, "workers": WORKERS, "thresholds": results}


# --- the run -----------------------------------------------------------------------------------


def _in_fresh_process(*arguments: str) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.linkage_speed", *arguments],
        capture_output=True,
        text=True,
    )
    if output.returncode:
        raise RuntimeError(f"linkage_speed {' '.join(arguments)} failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def _quick() -> bool:
    return os.environ.get("QUIPU_BENCH_QUICK", "") not in ("", "0")


def run(quick: bool | None = None) -> dict:
    from benchmarks.common import write_result

    quick = _quick() if quick is None else quick
    scales = QUICK_SCALES if quick else SCALES
    dice = _in_fresh_process("--dice", str(QUICK_DICE_RECORDS if quick else DICE_RECORDS))
    runs = [_in_fresh_process("--scale", str(records)) for records in scales]
    largest = runs[-1]
    headline = dice["thresholds"]["0.8"]
    growth = {
        f"{a['records_per_side']}->{b['records_per_side']}": {
            "time": round(b["pipeline_seconds"] / a["pipeline_seconds"], 2),
            "memory": round(
                b["peak_rss_mb"]["linking_process"] / a["peak_rss_mb"]["linking_process"], 2
            ),
        }
        for a, b in zip(runs, runs[1:], strict=False)
    }
    quality = largest["quality"]["clusters"]
    targets = {
        "dice_at_least_as_fast_as_anonlink": headline["ratio_to_anonlink"] <= 1.0,
        "dice_same_pairs_as_anonlink": all(
            t["same_pairs_as_anonlink"] for t in dice["thresholds"].values()
        ),
        "largest_within_10_minutes": largest["pipeline_seconds"] <= BUDGET_SECONDS,
    }
    return write_result(
        "linkage_speed",
        {
            "quick": quick,
            "machine_facts": {
                "cores": len(os.sched_getaffinity(0)),
                "numpy": np.__version__,
                "processor": platform.processor() or platform.machine(),
                "load_average_at_start": os.getloadavg(),
            },
            "dice_all_pairs": dice,
            "end_to_end": runs,
            "growth": growth,
            "settings": {
                "bands": "quipu.linkage.matcher.blocking.BANDS x BAND_BITS",
                "candidate_dice": CANDIDATE_DICE,
                "link_dice": LINK_DICE,
                "link_dice_same_year_and_sex": LINK_DICE_SAME_YEAR,
                "best_partner_year_bonus": YEAR_BONUS,
                "max_bucket": MAX_BUCKET,
                "workers": WORKERS,
            },
            "targets": targets,
            "summary": (
                f"Dice {dice['records_per_side']}x{dice['records_per_side']} at 0.8: "
                f"{headline['ratio_to_anonlink']:.2f} x anonlink's time; "
                f"{largest['records_per_side']:,} a side end to end in "
                f"{largest['pipeline_seconds']:.0f} s (budget {BUDGET_SECONDS} s), peak "
                f"{largest['peak_rss_mb']['linking_process']:.0f} MB, cluster precision "
                f"{quality['precision']:.3f} recall {quality['recall']:.3f}; "
                f"targets met: {sum(targets.values())}/{len(targets)}"
            ),
        },
    )


if __name__ == "__main__":
    if "--scale" in sys.argv:
        print(json.dumps(scale_run(int(sys.argv[sys.argv.index("--scale") + 1]))))
    elif "--dice" in sys.argv:
        print(json.dumps(dice_versus_anonlink(int(sys.argv[sys.argv.index("--dice") + 1]))))
    else:
        print(run(quick=True if "--quick" in sys.argv else None)["summary"])

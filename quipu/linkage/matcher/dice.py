"""Dice coefficients of CLKs in bulk, from packed 64-bit words.

Two entry points:
- `dice_pairs_above`: every left-right pair at or above a threshold, all pairs considered.
  Rows are sorted by popcount, so each left row meets only the right rows whose popcount
  allows the threshold at all; chunks of left rows run on threads.
- `dice_of_pairs`: the Dice of given (left, right) row pairs, for blocked candidates.
Scores are computed as quipu.linkage.encoding.dice computes them, 2|A∩B| / (|A|+|B|) in
float64 and 0 where both CLKs are empty, so both give the same float for the same pair. The
loops themselves are compiled (dice_kernels.py).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from quipu.linkage.encoding import CLK_BYTES
from quipu.linkage.matcher import dice_kernels

CLK_WORDS = CLK_BYTES // 8
CHUNK_ROWS = 256  # left rows per piece of work: small enough to share out evenly
ROOM_PER_ROW = 16  # result slots first allotted per left row; a fuller chunk runs again


class DicePairs(NamedTuple):
    """Row numbers into the left and right inputs, and the Dice of each pair."""

    left: np.ndarray  # int64
    right: np.ndarray  # int64
    score: np.ndarray  # float64


def packed(clks: Sequence[bytes] | np.ndarray) -> np.ndarray:
    """CLKs (bytes each, or an (n, CLK_BYTES) uint8 array) as a C-contiguous (n, 16) uint64
    array. Word order and byte order do not matter for Dice, only that both sides agree."""
    if isinstance(clks, np.ndarray):
        if clks.dtype == np.uint64 and clks.ndim == 2 and clks.shape[1] == CLK_WORDS:
            return np.ascontiguousarray(clks)
        if clks.dtype != np.uint8 or clks.ndim != 2 or clks.shape[1] != CLK_BYTES:
            raise ValueError(f"CLKs must be an (n, {CLK_BYTES}) uint8 array")
        return np.ascontiguousarray(clks).view(np.uint64)
    if any(len(clk) != CLK_BYTES for clk in clks):
        raise ValueError(f"a CLK has {CLK_BYTES} bytes")
    return np.frombuffer(b"".join(clks), dtype=np.uint64).reshape(-1, CLK_WORDS).copy()


def popcounts(words: np.ndarray) -> np.ndarray:
    """Bits set in each packed CLK."""
    return dice_kernels.popcounts_of(np.ascontiguousarray(words, dtype=np.uint64))


def dice_of_pairs(
    left: np.ndarray,
    right: np.ndarray,
    left_rows: np.ndarray,
    right_rows: np.ndarray,
    *,
    left_counts: np.ndarray | None = None,
    right_counts: np.ndarray | None = None,
) -> np.ndarray:
    """Dice of each pair (left[left_rows[i]], right[right_rows[i]]) of packed CLKs."""
    left_counts = popcounts(left) if left_counts is None else left_counts
    right_counts = popcounts(right) if right_counts is None else right_counts
    return dice_kernels.scores_of_pairs(
        left,
        right,
        np.asarray(left_rows, dtype=np.int64),
        np.asarray(right_rows, dtype=np.int64),
        np.asarray(left_counts, dtype=np.int64),
        np.asarray(right_counts, dtype=np.int64),
    )


def dice_pairs_above(
    left: np.ndarray,
    right: np.ndarray,
    threshold: float,
    *,
    workers: int | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> DicePairs:
    """Every pair of a left and a right packed CLK whose Dice is at least `threshold`
    (0 < threshold <= 1), ordered by left row then right row."""
    if not 0 < threshold <= 1:
        raise ValueError("the threshold must be in (0, 1]: below it every pair would be returned")
    left, right = packed(left), packed(right)
    if not len(left) or not len(right):
        return _empty_pairs()
    counts_l, counts_r = popcounts(left), popcounts(right)
    order_l, order_r = np.argsort(counts_l, kind="stable"), np.argsort(counts_r, kind="stable")
    sorted_l, sorted_r = left[order_l], right[order_r]
    sorted_counts_l, sorted_counts_r = counts_l[order_l], counts_r[order_r]

    def chunk(rows: tuple[int, int]) -> DicePairs:
        start, stop = rows
        room = (stop - start) * ROOM_PER_ROW
        while True:
            out_l, out_r = np.empty(room, np.int64), np.empty(room, np.int64)
            out_score = np.empty(room, np.float64)
            found = dice_kernels.pairs_above_in_rows(
                sorted_l,
                sorted_r,
                sorted_counts_l,
                sorted_counts_r,
                float(threshold),
                start,
                stop,
                out_l,
                out_r,
                out_score,
            )
            if found <= room:
                return DicePairs(out_l[:found], out_r[:found], out_score[:found])
            room = found

    chunks = [(s, min(s + chunk_rows, len(left))) for s in range(0, len(left), chunk_rows)]
    workers = workers or min(2, os.cpu_count() or 1)
    if workers == 1 or len(chunks) == 1:
        found = [chunk(rows) for rows in chunks]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            found = list(pool.map(chunk, chunks))
    rows_l = order_l[np.concatenate([pairs.left for pairs in found])]
    rows_r = order_r[np.concatenate([pairs.right for pairs in found])]
    scores = np.concatenate([pairs.score for pairs in found])
    ranked = np.lexsort((rows_r, rows_l))
    return DicePairs(rows_l[ranked], rows_r[ranked], scores[ranked])


def _empty_pairs() -> DicePairs:
    return DicePairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64))

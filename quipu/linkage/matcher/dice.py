"""Dice coefficients of CLKs in bulk, from packed 64-bit words (NumPy 2's bitwise_count).

Two entry points:
- `dice_pairs_above`: every left-right pair at or above a threshold, all pairs considered.
  Exact, but most pairs are dismissed after a few words: |A∩B| can grow by at most the bits
  left unread, so a pair whose common bits so far plus min(bits left in A, bits left in B)
  cannot reach the threshold is dropped before the rest of its words are read. Rows are
  sorted by popcount, so a tile of left rows meets only the right rows whose popcount allows
  the threshold at all. Tiles of rows run on threads: NumPy releases the GIL in its loops.
- `dice_of_pairs`: the Dice of given (left, right) row pairs, for blocked candidates.
Scores are computed as quipu.linkage.encoding.dice computes them, 2|A∩B| / (|A|+|B|) in
float64 and 0 where both CLKs are empty, so both give the same float for the same pair.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from quipu.linkage.encoding import CLK_BYTES

CLK_WORDS = CLK_BYTES // 8
# How many words every pair reads is chosen per call from a sample of pairs: at 0.9 four
# words leave <0.1 % of real pairs alive, at 0.8 six leave ~3 %, at 0.6 nearly all survive.
SAMPLE_ROWS = (128, 1024)
SURVIVOR_COST = 40  # a survivor's gathered rest costs about 40 dense word-pairs
TILE_ROWS = 32
TILE_COLUMNS = 1024  # a tile's first words (6 x 32 x 1024 x 8 bytes) stay in cache
PAIR_CHUNK = 1 << 14  # candidate pairs scored at once: 2 x 2 MB gathered, in cache


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
    return np.bitwise_count(words).sum(axis=1, dtype=np.int64)


def dice_of_pairs(
    left: np.ndarray,
    right: np.ndarray,
    left_rows: np.ndarray,
    right_rows: np.ndarray,
    *,
    left_counts: np.ndarray | None = None,
    right_counts: np.ndarray | None = None,
) -> np.ndarray:
    """Dice of each pair (left[left_rows[i]], right[right_rows[i]]) of packed CLKs, in chunks
    of PAIR_CHUNK pairs through buffers allocated once: large temporaries would each be
    fresh pages, and page faults cost more than the arithmetic."""
    left_counts = popcounts(left) if left_counts is None else left_counts
    right_counts = popcounts(right) if right_counts is None else right_counts
    scores = np.empty(len(left_rows), dtype=np.float64)
    size = min(PAIR_CHUNK, len(left_rows))
    gathered_l = np.empty((size, CLK_WORDS), dtype=np.uint64)
    gathered_r = np.empty((size, CLK_WORDS), dtype=np.uint64)
    bits = np.empty((size, CLK_WORDS), dtype=np.uint8)
    common = np.empty(size, dtype=np.int64)
    for start in range(0, len(left_rows), PAIR_CHUNK):
        rows_l = left_rows[start : start + PAIR_CHUNK]
        rows_r = right_rows[start : start + PAIR_CHUNK]
        n = len(rows_l)
        np.take(left, rows_l, axis=0, out=gathered_l[:n])
        np.take(right, rows_r, axis=0, out=gathered_r[:n])
        np.bitwise_and(gathered_l[:n], gathered_r[:n], out=gathered_l[:n])
        np.bitwise_count(gathered_l[:n], out=bits[:n])
        np.add.reduce(bits[:n], axis=1, dtype=np.int64, out=common[:n])
        scores[start : start + n] = _dice(common[:n], left_counts[rows_l] + right_counts[rows_r])
    return scores


def _dice(common: np.ndarray, totals: np.ndarray) -> np.ndarray:
    # As encoding.dice_one_to_many: int64 2*common over int64 totals, 0 where both are empty.
    return np.divide(2 * common, totals, out=np.zeros(len(common)), where=totals > 0)


def dice_pairs_above(
    left: np.ndarray,
    right: np.ndarray,
    threshold: float,
    *,
    workers: int | None = None,
    tile_rows: int = TILE_ROWS,
    tile_columns: int = TILE_COLUMNS,
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
    head = _head_words(left, right, counts_l, counts_r, threshold)
    sides = [
        _Side(words, counts[order], head, threshold)
        for words, counts, order in ((sorted_l, counts_l, order_l), (sorted_r, counts_r, order_r))
    ]
    tiles = [(start, min(start + tile_rows, len(left))) for start in range(0, len(left), tile_rows)]
    workers = workers or min(2, os.cpu_count() or 1)

    def run(share: list[tuple[int, int]]) -> list[DicePairs]:
        scratch = _Scratch(head, tile_rows, tile_columns)
        return [
            _tile_pairs(sides[0], sides[1], rows, threshold, tile_columns, scratch)
            for rows in share
        ]

    shares = [tiles[i::workers] for i in range(workers)]
    if workers == 1:
        found = run(tiles)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            found = [pairs for share in pool.map(run, shares) for pairs in share]
    if not found:
        return _empty_pairs()
    rows_l = order_l[np.concatenate([pairs.left for pairs in found])]
    rows_r = order_r[np.concatenate([pairs.right for pairs in found])]
    scores = np.concatenate([pairs.score for pairs in found])
    ranked = np.lexsort((rows_r, rows_l))
    return DicePairs(rows_l[ranked], rows_r[ranked], scores[ranked])


def _head_words(
    left: np.ndarray,
    right: np.ndarray,
    counts_l: np.ndarray,
    counts_r: np.ndarray,
    threshold: float,
) -> int:
    """The number of words read for every pair that makes the least work on a sample of
    pairs: each word read costs one, each pair left alive after them SURVIVOR_COST."""
    rows_l = np.linspace(0, len(left) - 1, min(SAMPLE_ROWS[0], len(left))).astype(np.int64)
    rows_r = np.linspace(0, len(right) - 1, min(SAMPLE_ROWS[1], len(right))).astype(np.int64)
    bits = np.bitwise_count(left[rows_l, None, :] & right[None, rows_r, :])  # (l, r, words)
    common = np.cumsum(bits, axis=2, dtype=np.int32)
    seen_l = np.cumsum(np.bitwise_count(left[rows_l]), axis=1, dtype=np.int32)
    seen_r = np.cumsum(np.bitwise_count(right[rows_r]), axis=1, dtype=np.int32)
    rest_l = counts_l[rows_l, None] - seen_l  # (l, words)
    rest_r = counts_r[rows_r, None] - seen_r
    need = threshold * (counts_l[rows_l, None] + counts_r[None, rows_r]) / 2
    best, best_cost = CLK_WORDS, float(CLK_WORDS)
    for head in range(1, CLK_WORDS):
        rest = np.minimum(rest_l[:, None, head - 1], rest_r[None, :, head - 1])
        alive = float(np.mean(common[:, :, head - 1] + rest >= need))
        cost = head + alive * SURVIVOR_COST
        if cost < best_cost:
            best, best_cost = head, cost
    return best


def _empty_pairs() -> DicePairs:
    return DicePairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64))


class _Side:
    """One input sorted by popcount, with what the pruning bound needs per row."""

    def __init__(self, words: np.ndarray, counts: np.ndarray, head: int, threshold: float):
        self.words = words
        self.head_words = np.ascontiguousarray(words[:, :head].T)  # (head, n): rows contiguous
        self.counts = counts
        rest = counts - popcounts(words[:, :head])
        # A pair can reach the threshold only if head_common + min(rest_l, rest_r) >=
        # threshold * (count_l + count_r) / 2. Split as a sum of a left and a right term,
        # each floored, so the integer test never drops a pair that could reach it.
        half = threshold * counts / 2
        self.with_rest = np.floor(half - rest).astype(np.int16)  # this side's rest as bound
        self.half = np.floor(half).astype(np.int16)  # the other side's rest as bound


class _Scratch:
    """Per-thread buffers for one tile, reused so that tiles allocate nothing large."""

    def __init__(self, head: int, rows: int, columns: int):
        self.common = np.empty((head, rows, columns), dtype=np.uint64)
        self.bits = np.empty((head, rows, columns), dtype=np.uint8)
        self.head_common = np.empty((rows, columns), dtype=np.int16)
        self.bound = np.empty((rows, columns), dtype=np.int16)
        self.other = np.empty((rows, columns), dtype=np.int16)
        self.alive = np.empty((rows, columns), dtype=bool)


def _tile_pairs(
    left: _Side,
    right: _Side,
    rows: tuple[int, int],
    threshold: float,
    tile_columns: int,
    scratch: _Scratch,
) -> DicePairs:
    """The pairs at or above the threshold between left rows [start, stop) and all right rows,
    in sorted row numbers."""
    start, stop = rows
    lowest, highest = int(left.counts[start]), int(left.counts[stop - 1])
    # Dice <= 2 min(|A|, |B|) / (|A| + |B|): the right popcounts this tile can meet at all.
    low = math.floor(lowest * threshold / (2 - threshold)) - 1
    high = math.ceil(highest * (2 - threshold) / threshold) + 1
    first = int(np.searchsorted(right.counts, low, side="left"))
    last = int(np.searchsorted(right.counts, high, side="right"))
    found: list[DicePairs] = []
    n_rows = stop - start
    head = len(left.head_words)
    head_l = left.head_words[:, start:stop, None]
    for column in range(first, last, tile_columns):
        end = min(column + tile_columns, last)
        n_cols = end - column
        common = scratch.common[:, :n_rows, :n_cols]
        bits = scratch.bits[:, :n_rows, :n_cols]
        head_common = scratch.head_common[:n_rows, :n_cols]
        bound = scratch.bound[:n_rows, :n_cols]
        other = scratch.other[:n_rows, :n_cols]
        alive = scratch.alive[:n_rows, :n_cols]
        np.bitwise_and(head_l, right.head_words[:, None, column:end], out=common)
        np.bitwise_count(common, out=bits)
        np.add.reduce(bits, axis=0, dtype=np.int16, out=head_common)
        # head_common must reach both bounds: with the left rest and with the right rest.
        np.add(left.with_rest[start:stop, None], right.half[None, column:end], out=bound)
        np.add(left.half[start:stop, None], right.with_rest[None, column:end], out=other)
        np.maximum(bound, other, out=bound)
        np.greater_equal(head_common, bound, out=alive)
        # flatnonzero, then divmod: nonzero on a 2-D array is ~40x slower here.
        flat = np.flatnonzero(alive)
        if not len(flat):
            continue
        tile_l, tile_r = np.divmod(flat, n_cols)
        rows_l, rows_r = tile_l + start, tile_r + column
        rest = np.bitwise_count(left.words[rows_l, head:] & right.words[rows_r, head:]).sum(
            axis=1, dtype=np.int64
        )
        scores = _dice(
            head_common[tile_l, tile_r].astype(np.int64) + rest,
            left.counts[rows_l] + right.counts[rows_r],
        )
        keep = scores >= threshold
        if keep.any():
            found.append(DicePairs(rows_l[keep], rows_r[keep], scores[keep]))
    if not found:
        return _empty_pairs()
    return DicePairs(*(np.concatenate(parts) for parts in zip(*found, strict=True)))

"""Candidate pairs for bulk linking: bit-sampling LSH bands on the CLK, and shared tokens.

Two records meet in a band when all sampled bits of that band agree, so a pair with a high
Dice meets in some band of many with high probability and a random pair almost never (see
`band_keys`). Records sharing an exact identifier token meet too. Everything is an equi-join
of integer keys: the right side is sorted once per key column and each left row finds its
bucket by binary search, and pairs come out in bounded chunks, never all at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from hashlib import blake2b
from typing import NamedTuple

import numpy as np

from quipu.linkage.encoding import CLK_BYTES

# As scoring.py blocks its Splink model (16 bands of 12 sampled bits), with bands sized for
# a million records a side: a random pair of real CLKs agrees on 28 sampled bits about once
# in 10^5-10^6 pairs, a true pair in ~1 band of 30 (see benchmarks/linkage_speed.py).
SEED = 20261123
BANDS = 120
BAND_BITS = 28
BAND_BYTES = 8  # the bytes each band samples its bits from: one 64-bit gather a band
MIN_BAND_POPCOUNT = 64  # a near-empty CLK (no name) would fall in one huge bucket
NO_KEY = -1
PAIR_CHUNK = 1 << 16  # pairs a join yields at once: small arrays, reused pages


class BandLayout(NamedTuple):
    """Which bits each band samples: BAND_BYTES random bytes of the CLK and a mask of `bits`
    random bits among their 64 (a 64-bit gather and an AND per band, not a bit-by-bit walk)."""

    byte_index: np.ndarray  # (bands, BAND_BYTES) byte offsets into the CLK
    masks: np.ndarray  # (bands,) uint64, over the bytes read as one little-endian word

    def band(self, index: int) -> BandLayout:
        """The layout of one band alone, to key a band at a time in bounded memory."""
        return BandLayout(self.byte_index[index : index + 1], self.masks[index : index + 1])

    def positions(self) -> np.ndarray:
        """(bands, bits) sampled bit positions in encoding.py's order (bit 0 = byte 0's high)."""
        rows = []
        for offsets, mask in zip(self.byte_index, self.masks, strict=True):
            word_bits = [i for i in range(64) if int(mask) >> i & 1]
            rows.append(sorted(int(offsets[i // 8]) * 8 + 7 - i % 8 for i in word_bits))
        return np.array(rows, dtype=np.int64)


def band_layout(bands: int = BANDS, bits: int = BAND_BITS, seed: int = SEED) -> BandLayout:
    """A fixed, seeded choice of bands; every party derives the same one."""
    if not 0 < bits <= 62:
        raise ValueError("a band samples 1 to 62 bits")
    rng = np.random.default_rng(seed)
    byte_index = np.stack(
        [rng.choice(CLK_BYTES, BAND_BYTES, replace=False) for _ in range(bands)]
    ).astype(np.intp)
    masks = np.zeros(bands, dtype=np.uint64)
    for band in range(bands):
        for bit in rng.choice(8 * BAND_BYTES, bits, replace=False):
            masks[band] |= np.uint64(1) << np.uint64(bit)
    return BandLayout(byte_index, masks)


def band_keys(
    clks: np.ndarray,
    layout: BandLayout,
    *,
    counts: np.ndarray | None = None,
    min_popcount: int = MIN_BAND_POPCOUNT,
    chunk: int = 1 << 18,
) -> np.ndarray:
    """(n, bands) int64 keys, the sampled bits of each band; NO_KEY for records with fewer
    than `min_popcount` bits set. `clks` is an (n, CLK_BYTES) uint8 array; `counts`, its
    popcounts, when already known."""
    if clks.ndim != 2 or clks.shape[1] != CLK_BYTES or clks.dtype != np.uint8:
        raise ValueError(f"CLKs must be an (n, {CLK_BYTES}) uint8 array")
    bands = len(layout.masks)
    keys = np.empty((len(clks), bands), dtype=np.int64)
    flat = layout.byte_index.reshape(-1)
    for start in range(0, len(clks), chunk):
        block = clks[start : start + chunk]
        # np.take, not block[:, flat]: several times faster for a gather along rows.
        gathered = np.take(block, flat, axis=1).view("<u8")  # (rows, bands)
        np.bitwise_and(gathered, layout.masks, out=gathered)
        keys[start : start + chunk] = gathered.view(np.int64)
    if counts is None:
        counts = np.bitwise_count(clks).sum(axis=1, dtype=np.int64)
    keys[counts < min_popcount] = NO_KEY
    return keys


def key_join(
    left_keys: np.ndarray,
    right_keys: np.ndarray,
    *,
    left_rows: np.ndarray | None = None,
    right_rows: np.ndarray | None = None,
    max_bucket: int | None = None,
    chunk: int = PAIR_CHUNK,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(left rows, right rows) of every pair with equal keys, in chunks of about `chunk` pairs
    (more only when one left row's bucket is larger). NO_KEY never matches; a key held by more
    than `max_bucket` records of both sides together is skipped (a hotline, as scoring.py's
    TOKEN_FANOUT_LIMIT, or the bucket of near-empty bands)."""
    left_rows = np.arange(len(left_keys)) if left_rows is None else left_rows
    right_rows = np.arange(len(right_keys)) if right_rows is None else right_rows
    # One stable sort of both sides: each key's left records, then its right ones. Cheaper
    # than binary searches of a million keys into a million, which miss the cache each step.
    keys = np.concatenate([left_keys, right_keys])
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    is_left = order < len(left_keys)
    starts = np.flatnonzero(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]]))
    sizes = np.diff(np.append(starts, len(keys)))
    lefts = np.add.reduceat(is_left, starts) if len(starts) else starts
    rights = sizes - lefts
    usable = (lefts > 0) & (rights > 0) & (sorted_keys[starts] != NO_KEY)
    if max_bucket is not None:
        usable &= sizes <= max_bucket
    group = np.cumsum(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]])) - 1
    members = np.flatnonzero(is_left & usable[group])  # sorted positions of left records
    if not len(members):
        return
    first_right = (starts + lefts)[group[members]]
    counts = rights[group[members]]
    rows = left_rows[order[members]]
    sorted_rows = np.where(is_left, 0, right_rows[np.maximum(order - len(left_keys), 0)])
    ends = np.cumsum(counts)
    cuts = np.searchsorted(ends, np.arange(chunk, int(ends[-1]), chunk), side="left")
    bounds = np.unique(np.concatenate([[0], cuts + 1, [len(counts)]]))
    for first, last in zip(bounds[:-1], bounds[1:], strict=True):
        part = counts[first:last]
        total = int(part.sum())
        if not total:
            continue
        before = ends[first:last] - part - (ends[first] - part[0])  # pairs before each row
        positions = np.repeat(first_right[first:last] - before, part) + np.arange(total)
        yield np.repeat(rows[first:last], part), sorted_rows[positions]


def band_join(
    left_keys: np.ndarray,
    right_keys: np.ndarray,
    left_years: np.ndarray,
    right_years: np.ndarray,
    *,
    max_bucket: int | None = None,
    chunk: int = PAIR_CHUNK,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pairs that agree on a band's bits and whose birth years, where both know them (0 for
    unknown), differ by at most one (a slip of the last digit): at a million records a side,
    strangers with similar names would otherwise meet by the billion. Joined on the bits and
    then filtered, which costs less than a join per case of known and unknown years."""
    for rows_l, rows_r in key_join(left_keys, right_keys, max_bucket=max_bucket, chunk=chunk):
        years_l = left_years[rows_l].astype(np.int32)
        years_r = right_years[rows_r].astype(np.int32)
        keep = (np.abs(years_l - years_r) <= 1) | (years_l == 0) | (years_r == 0)
        yield rows_l[keep], rows_r[keep]


def token_keys(tokens: list[str]) -> np.ndarray:
    """Tokens ("kind:hmac", see scoring.tagged_token) as int64 join keys: 62 bits of a BLAKE2b
    digest of the whole tagged token, so a phone and a document with equal digits never meet."""
    return np.fromiter(
        (int.from_bytes(blake2b(t.encode(), digest_size=8).digest(), "big") >> 2 for t in tokens),
        dtype=np.int64,
        count=len(tokens),
    )

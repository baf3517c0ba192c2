"""Compiled loops for dice.py (Numba): Dice of CLK pairs from packed 64-bit words.

NumPy's vector form of these loops spends most of its time writing and reading temporaries;
a compiled loop keeps each pair's 16 words in registers and uses the CPU's popcount
instruction (LLVM's ctpop). The kernels release the GIL and take no threading layer of their
own: callers run them on Python threads, which Numba's workqueue layer would not allow.
"""

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic


@intrinsic
def _popcount(typingctx, word):
    if word != types.uint64:
        return None

    def codegen(context, builder, signature, args):
        ctpop = builder.module.declare_intrinsic("llvm.ctpop", [ir.IntType(64)])
        return builder.call(ctpop, args)

    return types.uint64(types.uint64), codegen


@njit(cache=True, nogil=True)
def _common(left: np.ndarray, i: int, right: np.ndarray, j: int) -> int:
    common = 0
    for word in range(left.shape[1]):
        common += _popcount(left[i, word] & right[j, word])
    return common


@njit(cache=True, nogil=True)
def _score(common: int, total: int) -> float:
    # As encoding.dice: 2|A∩B| / (|A|+|B|) in float64, 0 where both CLKs are empty.
    return 2.0 * common / total if total > 0 else 0.0


@njit(cache=True, nogil=True)
def popcounts_of(words: np.ndarray) -> np.ndarray:
    counts = np.empty(words.shape[0], dtype=np.int64)
    for row in range(words.shape[0]):
        total = 0
        for word in range(words.shape[1]):
            total += _popcount(words[row, word])
        counts[row] = total
    return counts


@njit(cache=True, nogil=True)
def scores_of_pairs(left, right, left_rows, right_rows, left_counts, right_counts) -> np.ndarray:
    scores = np.empty(len(left_rows), dtype=np.float64)
    for k in range(len(left_rows)):
        i, j = left_rows[k], right_rows[k]
        scores[k] = _score(_common(left, i, right, j), left_counts[i] + right_counts[j])
    return scores


@njit(cache=True, nogil=True)
def pairs_above_in_rows(
    left, right, counts_l, counts_r, threshold, start, stop, out_l, out_r, out_score
) -> int:
    """Pairs of left rows [start, stop) and all right rows with Dice >= threshold, written in
    row order into the out arrays while they have room; returns how many there are in all,
    so that a caller whose arrays were too small can run again with enough room.

    Both sides are sorted by popcount: as Dice <= 2 min(|A|,|B|) / (|A|+|B|), a left row can
    only meet right rows whose popcount lies in [t|A|/(2-t), (2-t)|A|/t], found by bisection.
    The range is widened by one on each side against rounding; the exact test decides."""
    room = len(out_l)
    found = 0
    for i in range(start, stop):
        count = counts_l[i]
        low = np.searchsorted(counts_r, threshold * count / (2.0 - threshold) - 1.0)
        high = np.searchsorted(counts_r, (2.0 - threshold) * count / threshold + 1.0, side="right")
        for j in range(low, high):
            score = _score(_common(left, i, right, j), count + counts_r[j])
            if score >= threshold:
                if found < room:
                    out_l[found] = i
                    out_r[found] = j
                    out_score[found] = score
                found += 1
    return found

"""Disclosure control for published counts: small-cell suppression, primary and secondary.

A row is one country's counts: its categories and its "total". A cell with 0 < n < threshold
is suppressed (None). When a row then has exactly one suppressed category while its total is
still published, the next-smallest non-zero category is suppressed too, so that the hidden
cell cannot be worked out as the total minus the other cells. Zeros are published: they
describe nobody. A total below the threshold is suppressed; all its categories then are too.
"""

from django.conf import settings

from quipu.stats.categories import TOTAL

DEFAULT_THRESHOLD = 10  # CTDC's public file is k-anonymous with k = 10


def disclosure_threshold() -> int:
    """The smallest count a regional view may publish (setting QUIPU_DISCLOSURE_THRESHOLD)."""
    return int(getattr(settings, "QUIPU_DISCLOSURE_THRESHOLD", DEFAULT_THRESHOLD))


def _small(count: int | None, threshold: int) -> bool:
    return count is not None and 0 < count < threshold


def row_suppress(row: dict[str, int], *, threshold: int) -> dict[str, int | None]:
    """One country's counts with small cells and their complements suppressed."""
    published: dict[str, int | None] = {
        key: (None if _small(count, threshold) else count) for key, count in row.items()
    }
    categories = [key for key in row if key != TOTAL]
    hidden = [key for key in categories if published[key] is None]
    if len(hidden) == 1 and published.get(TOTAL) is not None:
        candidates = [key for key in categories if published[key]]  # non-zero, published
        if candidates:
            # The smallest keeps the least information hidden; ties go to the first category.
            complement = min(candidates, key=lambda key: (row[key], categories.index(key)))
            published[complement] = None
    return published


def cells_suppress(
    counts: dict[str, dict[str, int]], *, threshold: int | None = None
) -> dict[str, dict[str, int | None]]:
    """Counts as `case_measure_counts` returns them, safe for a regional view."""
    limit = disclosure_threshold() if threshold is None else threshold
    return {country: row_suppress(row, threshold=limit) for country, row in counts.items()}

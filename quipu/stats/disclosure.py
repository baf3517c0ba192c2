"""Disclosure control for published counts: small-cell suppression, primary and secondary.

A row is one country's counts: its categories and its "total". A cell with 0 < n < threshold
is suppressed (None). A row (categories and total), and with a regional row a column
(countries and region), is a line whose cells add up; when a line has exactly one suppressed
cell, the smallest non-zero published cell of the same line is suppressed too, so that the
hidden one cannot be worked out as the margin minus the other cells. This repeats until every
line has none or at least two. Totals are chosen last, so the headline figure stays
published whenever a category can take its place. Zeros are published: they describe nobody.
"""

from django.conf import settings

from quipu.stats.categories import TOTAL

DEFAULT_THRESHOLD = 10  # CTDC's public file is k-anonymous with k = 10

Cell = tuple[str, str]  # (row, category)


def disclosure_threshold() -> int:
    """The smallest count a regional view may publish (setting QUIPU_DISCLOSURE_THRESHOLD)."""
    return int(getattr(settings, "QUIPU_DISCLOSURE_THRESHOLD", DEFAULT_THRESHOLD))


def _lines(counts: dict[str, dict[str, int]], region: str | None) -> list[list[Cell]]:
    """Groups of cells that add up, each with its margin last."""
    lines = []
    for row_key, row in counts.items():
        categories = [key for key in row if key != TOTAL]
        if categories and TOTAL in row:
            lines.append([(row_key, key) for key in categories] + [(row_key, TOTAL)])
    if region is not None:
        members = [row_key for row_key in counts if row_key != region]
        for key in counts[region]:
            lines.append([(row_key, key) for row_key in members] + [(region, key)])
    return lines


def cells_suppress(
    counts: dict[str, dict[str, int]], *, threshold: int | None = None, region: str | None = None
) -> dict[str, dict[str, int | None]]:
    """Counts as `case_measure_counts` returns them, safe for a regional view.

    `region` names a row that holds the sum of the other rows (a regional total per
    category); its columns are then protected as rows are.
    """
    limit = disclosure_threshold() if threshold is None else threshold
    published: dict[str, dict[str, int | None]] = {
        row_key: {key: (None if 0 < count < limit else count) for key, count in row.items()}
        for row_key, row in counts.items()
    }
    lines = _lines(counts, region)
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [cell for cell in line if published[cell[0]][cell[1]] is None]
            if len(hidden) != 1:
                continue
            inner, margin = line[:-1], line[-1]
            candidates = [cell for cell in inner if published[cell[0]][cell[1]]]
            if not candidates and published[margin[0]][margin[1]]:
                candidates = [margin]
            if candidates:
                # The smallest hides the least; ties go to the first in the line's order.
                row_key, key = min(
                    candidates, key=lambda cell: (counts[cell[0]][cell[1]], line.index(cell))
                )
                published[row_key][key] = None
                changed = True
    return published

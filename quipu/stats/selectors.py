"""What views and indicators read: case-data measures, exact or with small cells suppressed."""

from quipu.stats.disclosure import cells_suppress
from quipu.stats.measures import case_measure_counts


def case_measure_values(
    *,
    measure: str,
    countries: list[str],
    year: int,
    by: str | None = None,
    suppress: bool = True,
    threshold: int | None = None,
    region: str | None = None,
) -> dict[str, dict[str, int | None]]:
    """`case_measure_counts`, suppressed unless `suppress` is False; suppressed cells are None.

    Regional (cross-country) views must suppress; a country reading its own figures may pass
    suppress=False. With `region` (a key such as "region"), a row under that key holds the sum
    of the countries, and suppression then also protects each column against it.
    """
    counts = case_measure_counts(measure=measure, countries=countries, year=year, by=by)
    if region is not None:
        keys = next(iter(counts.values()), {})
        counts[region] = {key: sum(row[key] for row in counts.values()) for key in keys}
    if not suppress:
        return dict(counts)
    return cells_suppress(counts, threshold=threshold, region=region)

"""Charts for the progress pages (issue 6 point 5): bars per country and trends over periods.
The regional map, in region_map.py, is built on the helpers here.

The charts are server-rendered SVG, not a JavaScript library: the page's CSP allows no inline
script or style, nothing may be fetched at run time, and each chart has a visible table beside
it, so the SVG only has to look right. These functions are pure (no database) and return
dataclasses for the templates in progress/charts/. Numbers are formatted for the language
active when a chart is built, so build charts inside the request.
"""

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext

# Okabe & Ito's palette without its yellow, which is too light on white for a line.
LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
# Cycle lengths 7, 5 and 6 are coprime enough that the first 210 series all differ, and any
# two differ by more than colour.
LINE_DASHES = ("", "6 3", "2 3", "8 3 2 3", "12 4")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "plus")
BAR_COLOUR = "#0072B2"
PLUS_OUTLINE = (
    (-1, -3),
    (1, -3),
    (1, -1),
    (3, -1),
    (3, 1),
    (1, 1),
    (1, 3),
    (-1, 3),
    (-1, 1),
    (-3, 1),
    (-3, -1),
    (-1, -1),
)
CHAR_WIDTH = 7.0  # rough width of one character of the 13px chart font, for layout only


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    short_label: str  # what fits in the SVG; the table has `label` in full
    value: Decimal | None
    text: str  # the formatted value, or the missing label
    y: float
    x: float
    width: float
    text_x: float

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class BarChart:
    html_id: str
    title: str
    unit_label: str
    value_heading: str
    bars: list[Bar]
    ticks: list[Tick]
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_bottom: float
    zero_x: float
    label_x: float
    bar_height: float
    row_height: float


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    period: str
    text: str
    marker: str  # SVG path data


@dataclass(frozen=True)
class TrendLine:
    key: str
    label: str
    colour: str
    dash: str
    segments: list[str]  # one path per run of consecutive values: None leaves a gap
    points: list[TrendPoint]
    legend_marker: str
    cells: list[str]  # the table's column for this series, one text per period


@dataclass(frozen=True)
class TrendRow:
    period: str
    cells: list[str]


@dataclass(frozen=True)
class TrendChart:
    html_id: str
    title: str
    unit_label: str
    value_heading: str
    periods: list[Tick]
    y_ticks: list[Tick]
    lines: list[TrendLine]
    rows: list[TrendRow]
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float


def number_text(value: Decimal) -> str:
    """A value as the active language writes it ("12,5" in es and pt-BR), keeping its places."""
    return number_format(value, use_l10n=True)


def value_heading(unit_label: str) -> str:
    if not unit_label:
        return gettext("Value")
    return gettext("Value (%(unit)s)") % {"unit": unit_label}


def html_id(kind: str, *parts: object) -> str:
    """A stable id for the chart's ARIA references, distinct for charts of different content."""
    digest = hashlib.sha256(repr((kind, parts)).encode()).hexdigest()[:10]
    return f"chart-{kind}-{digest}"


def nice_step(span: Decimal, parts: int) -> Decimal:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that splits `span` into at most
    `parts` steps."""
    raw = span / parts if span > 0 else Decimal(1)
    magnitude = Decimal(1).scaleb(raw.adjusted())
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)):
        if raw <= factor * magnitude:
            return factor * magnitude
    return magnitude * 10


def step_places(step: Decimal) -> int:
    return max(0, -step.normalize().as_tuple().exponent)


def snapped(value: Decimal, step: Decimal, rounding: str) -> Decimal:
    places = Decimal(1).scaleb(-step_places(step))
    return ((value / step).to_integral_value(rounding=rounding) * step).quantize(places)


def nice_ticks(low: Decimal, high: Decimal, parts: int = 5) -> list[Decimal]:
    """Round tick values from at or below `low` to at or above `high`, zero included."""
    low, high = min(low, Decimal(0)), max(high, Decimal(0))
    if low == high:
        high = low + 1
    step = nice_step(high - low, parts)
    first, last = snapped(low, step, ROUND_FLOOR), snapped(high, step, ROUND_CEILING)
    count = int((last - first) / step)
    return [first + step * i for i in range(count + 1)]


def shortened(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(
    *,
    title: str,
    unit_label: str,
    bars: list[tuple[str, str, Decimal | None]],
    missing_label: str,
    value_text: Callable[[Decimal], str] = number_text,
) -> BarChart:
    """Horizontal bars, one per (key, label, value), on a scale from zero to a round number
    at or above the largest value; a None value gets `missing_label` instead of a bar.
    `value_text` writes each value (the indicator's unit decides how); ticks are plain."""
    known = [value for _, _, value in bars if value is not None]
    ticks = nice_ticks(min(known, default=Decimal(0)), max(known, default=Decimal(1)))
    label_limit = 30
    label_width = min(max((len(label) for _, label, _ in bars), default=4), label_limit)
    plot_left = label_width * CHAR_WIDTH + 16
    width = 640
    widest = max([len(value_text(v)) for v in known] + [len(number_text(ticks[-1]))])
    text_room = widest * CHAR_WIDTH + 12
    plot_right = width - text_room
    span = float(ticks[-1] - ticks[0])

    def scale(value: Decimal) -> float:
        return round(plot_left + float(value - ticks[0]) / span * (plot_right - plot_left), 1)

    row_height, bar_height, top = 28.0, 18.0, 8.0
    zero_x = scale(Decimal(0))
    drawn = []
    for index, (key, label, value) in enumerate(bars):
        y = top + index * row_height + (row_height - bar_height) / 2
        if value is None:
            x = bar_width = 0.0
            text, text_x = missing_label, zero_x + 4
        else:
            end = scale(value)
            x, bar_width = min(end, zero_x), round(abs(end - zero_x), 1)
            text, text_x = value_text(value), max(end, zero_x) + 4
        drawn.append(
            Bar(key, label, shortened(label, label_limit), value, text, y, x, bar_width, text_x)
        )
    plot_bottom = top + len(bars) * row_height
    return BarChart(
        html_id=html_id("bars", title, unit_label, bars),
        title=title,
        unit_label=unit_label,
        value_heading=value_heading(unit_label),
        bars=drawn,
        # Without a single value an axis would only suggest numbers that are not there.
        ticks=[Tick(scale(tick), number_text(tick)) for tick in ticks] if known else [],
        width=width,
        height=int(plot_bottom + 28),
        plot_left=plot_left,
        plot_right=plot_right,
        plot_bottom=plot_bottom,
        zero_x=zero_x,
        label_x=plot_left - 8,
        bar_height=bar_height,
        row_height=row_height,
    )


def marker_path(shape: str, x: float, y: float, size: float = 4.5) -> str:
    """A point marker centred on (x, y) as path data, so one <path> draws any shape."""
    r = size
    corners = {
        "square": [
            (-r * 0.85, -r * 0.85),
            (r * 0.85, -r * 0.85),
            (r * 0.85, r * 0.85),
            (-r * 0.85, r * 0.85),
        ],
        "triangle": [(0, -r * 1.15), (r, r * 0.75), (-r, r * 0.75)],
        "triangle-down": [(0, r * 1.15), (r, -r * 0.75), (-r, -r * 0.75)],
        "diamond": [(0, -r * 1.2), (r * 1.2, 0), (0, r * 1.2), (-r * 1.2, 0)],
        "plus": [(r * 0.4 * dx, r * 0.4 * dy) for dx, dy in PLUS_OUTLINE],
    }
    if shape not in corners:
        return f"M{x - r:.1f} {y:.1f}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0Z"
    return "M" + " ".join(f"{x + dx:.1f} {y + dy:.1f}" for dx, dy in corners[shape]) + "Z"


def trend_chart(
    *,
    title: str,
    unit_label: str,
    periods: list[str],
    series: list[tuple[str, str, list[Decimal | None]]],
    missing_label: str | None = None,
    value_text: Callable[[Decimal], str] = number_text,
) -> TrendChart:
    """One line per (key, label, values) over `periods`, broken where a value is None; each
    series has its own colour, dash pattern and point marker."""
    missing_label = missing_label or gettext("No data")
    known = [value for _, _, values in series for value in values if value is not None]
    ticks = nice_ticks(min(known, default=Decimal(0)), max(known, default=Decimal(1)))
    width, height = 640, 320
    plot_left = max(len(number_text(tick)) for tick in ticks) * CHAR_WIDTH + 14
    plot_right, plot_top, plot_bottom = width - 16.0, 12.0, height - 36.0
    span = float(ticks[-1] - ticks[0])

    def y_of(value: Decimal) -> float:
        share = float(value - ticks[0]) / span
        return round(plot_bottom - share * (plot_bottom - plot_top), 1)

    # Periods sit evenly with a small inset from the axes; a single period sits in the middle.
    inset = 12.0
    gap = (plot_right - plot_left - 2 * inset) / max(len(periods) - 1, 1)
    x_of = [round(plot_left + inset + i * gap, 1) for i in range(len(periods))]
    if len(periods) == 1:
        x_of = [round((plot_left + plot_right) / 2, 1)]
    # Label every period when they fit, else every second, third...: the table has them all.
    widest = max((len(period) for period in periods), default=1) * CHAR_WIDTH + 8
    stride = max(1, math.ceil(widest / gap)) if len(periods) > 1 else 1
    lines = []
    for index, (key, label, values) in enumerate(series):
        shape = MARKERS[index % len(MARKERS)]
        points, segments, run = [], [], []
        for period, x, value in zip(periods, x_of, values, strict=True):
            if value is None:
                segments.append(run)
                run = []
                continue
            y = y_of(value)
            run.append((x, y))
            points.append(TrendPoint(x, y, period, value_text(value), marker_path(shape, x, y)))
        segments.append(run)
        lines.append(
            TrendLine(
                key=key,
                label=label,
                colour=LINE_COLOURS[index % len(LINE_COLOURS)],
                dash=LINE_DASHES[index % len(LINE_DASHES)],
                segments=[
                    "M" + " ".join(f"{x:g} {y:g}" for x, y in run)
                    for run in segments
                    if len(run) > 1
                ],
                points=points,
                legend_marker=marker_path(shape, 20, 8),
                cells=[missing_label if v is None else value_text(v) for v in values],
            )
        )
    return TrendChart(
        html_id=html_id("trend", title, unit_label, periods, series),
        title=title,
        unit_label=unit_label,
        value_heading=value_heading(unit_label),
        periods=[
            Tick(x, period if i % stride == 0 else "")
            for i, (x, period) in enumerate(zip(x_of, periods, strict=True))
        ],
        y_ticks=[Tick(y_of(tick), number_text(tick)) for tick in ticks] if known else [],
        lines=lines,
        rows=[
            TrendRow(period, [line.cells[i] for line in lines]) for i, period in enumerate(periods)
        ],
        width=width,
        height=height,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
    )

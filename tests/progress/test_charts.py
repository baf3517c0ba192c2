"""Charts (issue 6 point 5): bars, trends and the regional map, rendered through the templates
the pages include, with the table beside each one and nothing the CSP would block."""

import json
import re
from decimal import Decimal
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree
from django.template.loader import render_to_string
from django.utils import translation

from quipu.progress.charts import BarChart, TrendChart, bar_chart, nice_ticks, trend_chart
from quipu.progress.region_map import (
    CLASS_COLOURS,
    OUTLINES,
    OUTSIDE_FILL,
    RegionMap,
    class_bounds,
    region_map,
)

SVG = "{http://www.w3.org/2000/svg}"
MEMBERS = ("AR", "BO", "BR", "CL", "CO", "EC", "GY", "PE", "PY", "SR", "UY", "VE")
NAMES = {
    "AR": "Argentina",
    "BO": "Bolivia",
    "BR": "Brasil",
    "CL": "Chile",
    "CO": "Colombia",
    "EC": "Ecuador",
    "GY": "Guyana",
    "PE": "Perú",
    "PY": "Paraguay",
    "SR": "Surinam",
    "UY": "Uruguay",
    "VE": "Venezuela",
}


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es"):
        yield


def rendered(template: str, chart) -> tuple[str, Element]:
    """The template's HTML and its parse: the output is well-formed XML, SVG included."""
    html = render_to_string(f"progress/charts/{template}", {"chart": chart})
    return html, ElementTree.fromstring(html)


def victims_bars() -> BarChart:
    return bar_chart(
        title="Víctimas identificadas",
        unit_label="por 100 000 hab.",
        missing_label="Sin datos",
        bars=[
            ("AR", "Argentina", Decimal("12.5")),
            ("BO", "Bolivia", None),
            ("BR", "Brasil", Decimal("3.25")),
            ("CL", "Chile", Decimal("25")),
        ],
    )


def cases_trend() -> TrendChart:
    return trend_chart(
        title="Casos por año",
        unit_label="casos",
        periods=["2021", "2022", "2023", "2024", "2025"],
        series=[
            ("AR", "Argentina", [Decimal(10), Decimal(12), None, Decimal(15), Decimal(18)]),
            ("BR", "Brasil", [Decimal(30), Decimal("28.5"), Decimal(27), Decimal(31), Decimal(35)]),
            ("PE", "Perú", [Decimal(2), None, Decimal(20), None, None]),
        ],
    )


def rate_map() -> RegionMap:
    values = {
        "AR": Decimal("12.5"),
        "BO": None,
        "BR": Decimal("3.2"),
        "CL": Decimal("25.0"),
        "CO": Decimal("0.5"),
        "PE": Decimal("18.9"),
        "UY": Decimal("9.9"),
    }
    return region_map(
        title="Tasa por país",
        unit_label="por 100 000 hab.",
        values=values,
        labels=NAMES,
        missing_label="Sin datos",
    )


def table_cells(root) -> dict[str, list[str]]:
    """Row header -> the row's cells, from the chart's table."""
    return {
        row.find("th").text: [cell.text for cell in row.findall("td")]
        for row in root.iter("tr")
        if row.find("th") is not None and row.find("th").get("scope") == "row"
    }


def test_bar_widths_are_proportional_to_values():
    _, root = rendered("bars.html", victims_bars())
    widths = {
        row.get("data-key"): float(row.find(f"{SVG}rect").get("width"))
        for row in root.iter(f"{SVG}g")
        if row.get("data-key") and row.find(f"{SVG}rect") is not None
    }
    assert set(widths) == {"AR", "BR", "CL"}
    assert widths["AR"] / widths["CL"] == pytest.approx(12.5 / 25, abs=0.005)
    assert widths["BR"] / widths["CL"] == pytest.approx(3.25 / 25, abs=0.005)


def test_bar_with_no_value_is_drawn_as_missing_and_named_in_the_table():
    _, root = rendered("bars.html", victims_bars())
    bolivia = next(g for g in root.iter(f"{SVG}g") if g.get("data-key") == "BO")
    assert bolivia.find(f"{SVG}rect") is None
    assert [t.text for t in bolivia.iter(f"{SVG}text")] == ["Bolivia", "Sin datos"]
    assert table_cells(root)["Bolivia"] == ["Sin datos"]


@pytest.mark.parametrize("language", ["es", "pt-br"])
def test_tables_write_values_with_the_languages_decimal_comma(language):
    with translation.override(language):
        _, bars = rendered("bars.html", victims_bars())
        _, trend = rendered("trend.html", cases_trend())
        _, region = rendered("map.html", rate_map())
        no_data = translation.gettext("No data")
    assert table_cells(bars) == {
        "Argentina": ["12,5"],
        "Bolivia": ["Sin datos"],
        "Brasil": ["3,25"],
        "Chile": ["25"],
    }
    assert table_cells(trend)["2022"] == ["12", "28,5", no_data]
    assert table_cells(region)["Chile"] == ["25,0"]


def test_svg_coordinates_keep_a_decimal_point_in_spanish():
    for template, chart in (
        ("bars.html", victims_bars()),
        ("trend.html", cases_trend()),
        ("map.html", rate_map()),
    ):
        _, root = rendered(template, chart)
        for element in root.iter():
            for name in ("x", "y", "width", "x1", "x2", "y1", "y2", "d", "viewBox"):
                assert "," not in element.get(name, ""), (template, element.tag, name)


def test_english_tables_write_a_decimal_point():
    with translation.override("en"):
        _, root = rendered("bars.html", victims_bars())
    assert table_cells(root)["Argentina"] == ["12.5"]


def test_every_chart_has_a_labelled_figure_an_image_role_and_a_scoped_table():
    for template, chart in (
        ("bars.html", victims_bars()),
        ("trend.html", cases_trend()),
        ("map.html", rate_map()),
    ):
        _, root = rendered(template, chart)
        ids = {element.get("id") for element in root.iter() if element.get("id")}
        svg = root.find(f".//{SVG}svg")
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") in ids
        assert root.find(f".//{SVG}title").text == chart.title
        assert root.get("aria-labelledby") in ids
        table = root.find(".//table")
        assert table.find("caption").text.startswith(chart.title)
        headers = list(table.iter("th"))
        assert headers and all(th.get("scope") in ("col", "row") for th in headers)
        assert "hidden" not in (table.get("class", "") + table.get("aria-hidden", ""))


def test_charts_carry_no_inline_style_or_script_for_the_csp():
    for template, chart in (
        ("bars.html", victims_bars()),
        ("trend.html", cases_trend()),
        ("map.html", rate_map()),
    ):
        html, root = rendered(template, chart)
        assert not re.search(r"\sstyle\s*=", html)
        assert all(element.get("style") is None for element in root.iter())
        assert not re.search(r"<(style|script)\b", html)
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in html


def test_trend_line_breaks_where_a_value_is_missing():
    _, root = rendered("trend.html", cases_trend())
    series = {g.get("data-key"): g for g in root.iter(f"{SVG}g") if g.get("data-key")}
    segments = {key: g.findall(f"{SVG}path[@class='chart-line']") for key, g in series.items()}
    points = {key: g.findall(f"{SVG}path[@class='chart-point']") for key, g in series.items()}
    # Argentina: 2021-2022, then 2024-2025; Brazil unbroken; Peru two lone points, no line.
    assert [len(segments[key]) for key in ("AR", "BR", "PE")] == [2, 1, 0]
    assert [len(points[key]) for key in ("AR", "BR", "PE")] == [4, 5, 2]
    assert [p.find(f"{SVG}title").text for p in points["PE"]] == ["Perú, 2021: 2", "Perú, 2023: 20"]
    argentina = cases_trend().lines[0]
    assert argentina.segments[0].count(" ") == 3  # two points: "Mx1 y1 x2 y2"


def test_trend_points_sit_on_the_y_scale():
    chart = cases_trend()
    brazil = chart.lines[1]
    zero = next(tick for tick in chart.y_ticks if tick.text == "0")
    forty = next(tick for tick in chart.y_ticks if tick.text == "40")
    share = (zero.position - brazil.points[0].y) / (zero.position - forty.position)
    assert share == pytest.approx(30 / 40, abs=0.005)
    assert [tick.text for tick in chart.periods] == ["2021", "2022", "2023", "2024", "2025"]


def test_trend_lines_differ_by_dash_and_marker_not_only_colour():
    series = [(f"S{i}", f"Series {i}", [Decimal(i), Decimal(i + 1)]) for i in range(12)]
    chart = trend_chart(title="t", unit_label="", periods=["2024", "2025"], series=series)
    styles = {(line.dash, line.legend_marker) for line in chart.lines[:5]}
    assert len(styles) == 5
    assert len({(line.colour, line.dash, line.legend_marker) for line in chart.lines}) == 12
    _, root = rendered("trend.html", chart)
    legend = root.find(".//ul[@class='chart-legend']")
    assert ["".join(item.itertext()).strip() for item in legend] == [
        f"Series {i}" for i in range(12)
    ]


def test_y_ticks_are_round_numbers_from_zero():
    assert nice_ticks(Decimal("0.5"), Decimal("27")) == [Decimal(n) for n in (0, 10, 20, 30)]
    assert nice_ticks(Decimal("-3.2"), Decimal("7.9")) == [
        Decimal(n) for n in ("-5.0", "-2.5", "0.0", "2.5", "5.0", "7.5", "10.0")
    ]
    assert nice_ticks(Decimal(1234), Decimal(98765))[-1] == Decimal(100000)


def test_map_fills_each_country_by_its_class():
    chart = rate_map()
    assert [c.text for c in chart.classes] == [
        translation.gettext("%(low)s to under %(high)s") % {"low": low, "high": high}
        for low, high in (("0", "5"), ("5", "10"), ("10", "15"), ("15", "20"))
    ] + [translation.gettext("%(low)s to %(high)s") % {"low": "20", "high": "25"}]
    _, root = rendered("map.html", chart)
    fills = {path.get("data-code"): path.get("fill") for path in root.iter(f"{SVG}path")}
    assert fills["CO"] == fills["BR"] == CLASS_COLOURS[0]  # 0.5 and 3.2
    assert fills["UY"] == CLASS_COLOURS[1]  # 9.9
    assert fills["AR"] == CLASS_COLOURS[2]  # 12.5
    assert fills["PE"] == CLASS_COLOURS[3]  # 18.9
    assert fills["CL"] == CLASS_COLOURS[4]  # 25.0, the top bound included
    legend = [" ".join("".join(li.itertext()).split()) for li in root.iter("li")]
    assert legend == [c.text for c in chart.classes] + ["Sin datos"]


def test_map_hatches_countries_without_data_and_greys_the_rest():
    _, root = rendered("map.html", rate_map())
    paths = {path.get("data-code"): path for path in root.iter(f"{SVG}path")}
    hatch = root.find(f".//{SVG}pattern").get("id")
    assert paths["BO"].get("fill") == f"url(#{hatch})"
    assert paths["BO"].find(f"{SVG}title").text == "Bolivia: Sin datos"
    assert {paths[code].get("fill") for code in ("EC", "GY", "PY", "SR", "VE", "GF", "FK")} == {
        OUTSIDE_FILL
    }
    assert paths["VE"].find(f"{SVG}title").text == "Venezuela"
    assert table_cells(root)["Bolivia"] == ["Sin datos"]
    assert "Venezuela" not in table_cells(root)


def test_map_draws_every_member_country_with_its_name_and_value():
    _, root = rendered("map.html", rate_map())
    paths = {path.get("data-code"): path for path in root.iter(f"{SVG}path")}
    assert set(MEMBERS) | {"GF", "FK"} <= set(paths)
    assert all(re.fullmatch(r"(M[-\d. ]+Z)+", paths[code].get("d")) for code in MEMBERS)
    assert paths["AR"].find(f"{SVG}title").text == "Argentina: 12,5"


def test_map_names_countries_without_a_label_in_the_active_language():
    with translation.override("pt-br"):
        chart = region_map(
            title="t", unit_label="", values={}, labels={}, missing_label="Sem dados"
        )
    names = {country.code: country.label for country in chart.countries}
    assert names["GF"] == "Guiana Francesa"
    assert names["BR"] == "Brasil"
    assert chart.classes == []


def test_class_bounds_are_round_and_cover_every_value():
    assert class_bounds([Decimal("0.5"), Decimal(25)]) == [
        Decimal(n) for n in (0, 5, 10, 15, 20, 25)
    ]
    bounds = class_bounds([Decimal(-5), Decimal(49)])
    assert bounds[0] <= -5 and bounds[-1] >= 49
    assert len({b - a for a, b in zip(bounds, bounds[1:], strict=False)}) == 1


def test_map_outlines_are_small_and_credit_their_public_domain_source():
    region = json.loads(OUTLINES.read_text())
    assert OUTLINES.stat().st_size < 60_000
    assert "Natural Earth" in region["source"] and "public domain" in region["source"]
    assert re.fullmatch(r"0 0 \d+ \d+", region["viewBox"])

"""Build quipu/progress/data/south_america.json, the outlines behind the regional map.

Not run at build or test time; kept so the file can be remade or redone at another scale:

    mkdir -p /tmp/mapbuild && cd /tmp/mapbuild && npm install world-atlas@2.0.2
    .venv/bin/python scripts/region_map_build.py \
        --atlas /tmp/mapbuild/node_modules/world-atlas/countries-50m.json

world-atlas ships Natural Earth's admin-0 countries (public domain) as TopoJSON in degrees.
The TopoJSON is decoded here rather than with topojson-client so that shared borders can be
simplified once, as arcs, and neighbours keep meeting exactly.
"""

import argparse
import json
import math
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "quipu" / "progress" / "data" / "south_america.json"

MEMBERS = ("AR", "BO", "BR", "CL", "CO", "EC", "GY", "PE", "PY", "SR", "UY", "VE")
CONTEXT = ("FK", "GF")
FRANCE = "250"
# The mainland and near islands only: the Galapagos, Easter Island, Fernando de Noronha and
# Trindade would stretch the frame for a few pixels of land.
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = -82.0, -34.5, -56.5, 13.5
# Equirectangular with the standard parallel at the continent's middle keeps Patagonia's
# shape better than Mercator and needs no trigonometry per point beyond one cosine.
STANDARD_PARALLEL = -22.0
HEIGHT, PADDING = 700.0, 8.0
TOLERANCE = 0.4  # pixels; Douglas-Peucker
MIN_RING_AREA = 3.0  # square pixels; smaller islands vanish at this size anyway


def arcs_decode(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (lon, lat), undoing delta encoding and quantisation."""
    (scale_x, scale_y), (move_x, move_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        decoded.append(points)
    return decoded


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, keeping both ends so that arcs still join."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                distance = math.hypot(px - ax, py - ay)
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points += arc if not points else arc[1:]
    return points


def area(points: list[tuple[float, float]]) -> float:
    return (
        abs(
            sum(
                x0 * y1 - x1 * y0
                for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True)
            )
        )
        / 2
    )


def inside_frame(points: list[tuple[float, float]]) -> bool:
    lon = sum(p[0] for p in points) / len(points)
    lat = sum(p[1] for p in points) / len(points)
    return LON_MIN <= lon <= LON_MAX and LAT_MIN <= lat <= LAT_MAX


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    return geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]


def country_rings(topology: dict, arcs: list) -> dict[str, list[list[int]]]:
    """ISO-2 code -> the rings (as arc indices) of its polygons inside the frame."""
    wanted = set(MEMBERS + CONTEXT)
    rings: dict[str, list[list[int]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == FRANCE:
            code = "GF"  # Natural Earth keeps French Guiana inside France's MultiPolygon
        else:
            country = pycountry.countries.get(numeric=geometry.get("id", ""))
            code = country.alpha_2 if country else ""
        if code not in wanted:
            continue
        for polygon in polygons_of(geometry):
            if inside_frame(ring_points(polygon[0], arcs)):
                rings.setdefault(code, []).extend(polygon)
    return rings


def build(atlas: Path) -> dict:
    topology = json.loads(atlas.read_text())
    degrees = arcs_decode(topology)
    rings = country_rings(topology, degrees)
    used = {
        index if index >= 0 else ~index for code in rings for ring in rings[code] for index in ring
    }
    points = [point for index in used for point in degrees[index]]
    cos_parallel = math.cos(math.radians(STANDARD_PARALLEL))
    west = min(lon for lon, _ in points)
    east = max(lon for lon, _ in points)
    south = min(lat for _, lat in points)
    north = max(lat for _, lat in points)
    scale = (HEIGHT - 2 * PADDING) / (north - south)
    width = round((east - west) * cos_parallel * scale + 2 * PADDING)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            round(PADDING + (lon - west) * cos_parallel * scale, 1),
            round(PADDING + (north - lat) * scale, 1),
        )

    projected = [
        simplify([project(*p) for p in arc], TOLERANCE) if i in used else []
        for i, arc in enumerate(degrees)
    ]
    countries = {}
    for code in MEMBERS + CONTEXT:
        parts = []
        for ring in rings.get(code, []):
            outline = ring_points(ring, projected)
            deduplicated = [p for i, p in enumerate(outline) if i == 0 or p != outline[i - 1]]
            if len(deduplicated) < 4 or area(deduplicated) < MIN_RING_AREA:
                continue
            if deduplicated[0] == deduplicated[-1]:
                deduplicated.pop()
            parts.append("M" + " ".join(f"{x:g} {y:g}" for x, y in deduplicated) + "Z")
        countries[code] = "".join(parts)
    version = json.loads((atlas.parent / "package.json").read_text())["version"]
    return {
        "source": (
            f"Natural Earth 1:{atlas.stem.split('-')[1]} admin-0 countries, public domain, via "
            f"world-atlas {version}; equirectangular projection (standard parallel "
            f"{STANDARD_PARALLEL:g}), simplified to {TOLERANCE:g} px by "
            "scripts/region_map_build.py"
        ),
        "viewBox": f"0 0 {width} {HEIGHT:g}",
        "countries": countries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atlas", type=Path, required=True, help="world-atlas countries-*.json")
    parser.add_argument("--out", type=Path, default=OUT)
    arguments = parser.parse_args()
    region = build(arguments.atlas)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(region, indent=1) + "\n")
    print(
        f"{arguments.out}: {arguments.out.stat().st_size} bytes,"
        f" {len(region['countries'])} countries"
    )


if __name__ == "__main__":
    main()

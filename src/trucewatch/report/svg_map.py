"""The brief's map: an inline SVG of incident locations over bundled Natural Earth country outlines.

Equirectangular projection (longitude scaled by the cosine of the middle
latitude, so shapes are not stretched), fitted to the incidents' bounding box
with a margin. Markers are sized by the best estimate of people killed and
coloured by event type. No tiles, no network: the outlines are
``trucewatch/data/countries.geojson`` (see docs/reports.md for provenance).
"""

from __future__ import annotations

import functools
import json
import math
from importlib import resources
from typing import Any, Iterable

from ._style import color_for, esc
from .model import IncidentMark

__all__ = ["load_countries", "render_map"]

WIDTH = 760
MIN_ASPECT, MAX_ASPECT = 1.55, 2.1  # width / height of the map frame
MIN_SPAN = 1.2  # degrees: the smallest area shown, so a single incident still shows its surroundings


@functools.lru_cache(maxsize=1)
def load_countries() -> tuple[dict[str, Any], ...]:
    """The bundled country outlines, each with its polygons' bounding boxes precomputed."""
    raw = resources.files("trucewatch").joinpath("data/countries.geojson").read_text(encoding="utf-8")
    out = []
    for f in json.loads(raw)["features"]:
        polys = []
        for poly in f["geometry"]["coordinates"]:
            xs = [p[0] for p in poly[0]]
            ys = [p[1] for p in poly[0]]
            polys.append((min(xs), min(ys), max(xs), max(ys), poly))
        out.append({"name": f["properties"]["name"], "iso_a3": f["properties"]["iso_a3"],
                    "label": f["properties"].get("label"), "polys": polys})
    return tuple(out)


def _inside(x: float, y: float, ring: list[list[float]]) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def _label_spot(frame: "_Frame", polys: list, avoid: list[tuple[float, float]]) -> list[float] | None:
    """A point inside the country's visible part, as far as possible from the incident markers and the frame edge."""
    best, best_score = None, 0.0
    nx, ny = 9, 7
    for i in range(1, nx):
        for j in range(1, ny):
            lon = frame.lon0 + (frame.lon1 - frame.lon0) * i / nx
            lat = frame.lat0 + (frame.lat1 - frame.lat0) * j / ny
            if not any(p[0][0][0] is not None and _inside(lon, lat, p[0]) for p in polys):
                continue
            x, y = frame.xy(lon, lat)
            score = min([((x - ax) ** 2 + (y - ay) ** 2) ** 0.5 for ax, ay in avoid] or [1e9])
            score = min(score, x, frame.width - x, y, frame.height - y)
            if score > best_score:
                best, best_score = [lon, lat], score
    return best if best_score >= 30 else None


def _country_labels(frame: "_Frame", candidates: list, marker_boxes: list[tuple[float, float, float]]) -> list[str]:
    """Country name labels that overlap neither markers (x, y, radius) nor each other (countries with incidents first)."""
    marker_xy = [(x, y) for x, y, _ in marker_boxes]
    placed: list[tuple[float, float, float, float]] = []
    out = []

    def clear(x: float, y: float, w: float) -> bool:
        box = (x - w / 2, y - 11, x + w / 2, y + 3)
        if box[0] < 2 or box[2] > frame.width - 2 or box[1] < 16 or box[3] > frame.height - 14:
            return False
        for ax, ay, r in marker_boxes:
            # the marker's circle and its "I12" label to the right of it
            if box[0] < ax + r + 30 and ax - r - 3 < box[2] and box[1] < ay + r + 3 and ay - r - 3 < box[3]:
                return False
        return not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed)

    for _not_hit, c, polys in candidates:
        name = c["name"].upper()
        w = 8.2 * len(name)
        spots = []
        if c["label"] and frame.lon0 < c["label"][0] < frame.lon1 and frame.lat0 < c["label"][1] < frame.lat1:
            spots.append(c["label"])
        if not _not_hit or not spots:
            spot = _label_spot(frame, polys, marker_xy + [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in placed])
            if spot:
                spots.append(spot)
        for spot in spots:
            x, y = frame.xy(*spot)
            if clear(x, y, w):
                placed.append((x - w / 2, y - 11, x + w / 2, y + 3))
                out.append(f'<text class="country-label" x="{x:.1f}" y="{y:.1f}">{esc(name)}</text>')
                break
    return out


def _nice_step(span: float, target: int = 5) -> float:
    raw = span / target
    for step in (0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60):
        if step >= raw:
            return step
    return 90


class _Frame:
    """The projection: lon/lat -> SVG x/y for one map."""

    def __init__(self, points: list[tuple[float, float]]):
        if points:
            lons = [p[0] for p in points]
            lats = [p[1] for p in points]
            lon0, lon1, lat0, lat1 = min(lons), max(lons), min(lats), max(lats)
            span = max(lon1 - lon0, lat1 - lat0, MIN_SPAN)
            margin = 0.25 * span + 0.35
            cx, cy = (lon0 + lon1) / 2, (lat0 + lat1) / 2
            half_w = max(lon1 - lon0, MIN_SPAN) / 2 + margin
            half_h = max(lat1 - lat0, MIN_SPAN) / 2 + margin
        else:
            cx, cy, half_w, half_h = 20.0, 15.0, 180.0, 70.0
        self.k = max(math.cos(math.radians(cy)), 0.2)
        # widen or heighten the box so the frame's aspect stays within bounds
        aspect = (half_w * self.k) / half_h
        if aspect < MIN_ASPECT:
            half_w = MIN_ASPECT * half_h / self.k
        elif aspect > MAX_ASPECT:
            half_h = half_w * self.k / MAX_ASPECT
        half_h = min(half_h, 85.0)
        self.lon0, self.lon1 = cx - half_w, cx + half_w
        self.lat0, self.lat1 = max(cy - half_h, -89.0), min(cy + half_h, 89.0)
        self.scale = WIDTH / ((self.lon1 - self.lon0) * self.k)
        self.width = WIDTH
        self.height = round((self.lat1 - self.lat0) * self.scale)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.k * self.scale, (self.lat1 - lat) * self.scale

    def intersects(self, box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box
        return not (x1 < self.lon0 or x0 > self.lon1 or y1 < self.lat0 or y0 > self.lat1)


def _path(frame: _Frame, poly: list[list[list[float]]]) -> str:
    parts = []
    for ring in poly:
        pts = [frame.xy(x, y) for x, y in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)


def _radius(killed: float | None) -> float:
    if not killed:
        return 6.0
    return min(6.0 + 2.4 * math.sqrt(killed), 26.0)


def _spread(marks: list[tuple[IncidentMark, float, float]]) -> list[tuple[IncidentMark, float, float]]:
    """Fan out markers that would sit on top of each other (several incidents at one place)."""
    out: list[tuple[IncidentMark, float, float]] = []
    buckets: dict[tuple[int, int], list[tuple[IncidentMark, float, float]]] = {}
    for m, x, y in marks:
        buckets.setdefault((round(x / 8), round(y / 8)), []).append((m, x, y))
    for group in buckets.values():
        if len(group) == 1:
            out.extend(group)
            continue
        ring = 9 + 3 * len(group)
        for n, (m, x, y) in enumerate(group):
            a = 2 * math.pi * n / len(group) - math.pi / 2
            out.append((m, x + ring * math.cos(a), y + ring * math.sin(a)))
    return out


def render_map(marks: Iterable[IncidentMark], *, anchor_prefix: str = "incident-") -> str:
    """An ``<svg id="map">`` with country outlines and one ``circle.incident`` per located incident."""
    marks = list(marks)
    located = [m for m in marks if m.lat is not None and m.lon is not None]
    frame = _Frame([(m.lon, m.lat) for m in located])
    w, h = frame.width, frame.height
    countries = load_countries()
    hit = set()
    for c in countries:
        for box in c["polys"]:
            for m in located:
                if box[0] <= m.lon <= box[2] and box[1] <= m.lat <= box[3] and _inside(m.lon, m.lat, box[4][0]):
                    hit.add(c["iso_a3"])
    out = [
        f'<svg id="map" class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'role="img" aria-labelledby="map-title">',
        f'<title id="map-title">Map of {len(located)} located incident{"s" if len(located) != 1 else ""}</title>',
        f'<defs><clipPath id="map-clip"><rect x="0" y="0" width="{w}" height="{h}"/></clipPath></defs>',
        f'<rect class="sea" x="0" y="0" width="{w}" height="{h}"/>',
        '<g clip-path="url(#map-clip)">',
        '<g class="countries">',
    ]
    candidates = []
    for c in countries:
        polys = [p[4] for p in c["polys"] if frame.intersects(p[:4])]
        if not polys:
            continue
        cls = "country hit" if c["iso_a3"] in hit else "country"
        d = "".join(_path(frame, p) for p in polys)
        out.append(f'<path class="{cls}" data-iso="{esc(c["iso_a3"])}" d="{d}"><title>{esc(c["name"])}</title></path>')
        candidates.append((c["iso_a3"] not in hit, c, polys))
    pts = _spread([(m, *frame.xy(m.lon, m.lat)) for m in located])
    marker_boxes = [(x, y, _radius(m.killed)) for m, x, y in pts]
    labels = _country_labels(frame, sorted(candidates, key=lambda t: (t[0], t[1]["name"])), marker_boxes)
    out.append("</g>")
    # graticule
    step = _nice_step(frame.lon1 - frame.lon0)
    grat = ['<g class="graticule">']
    lon = math.ceil(frame.lon0 / step) * step
    while lon < frame.lon1:
        x, _ = frame.xy(lon, frame.lat0)
        grat.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{h}"/><text class="grat-label" x="{x + 3:.1f}" y="{h - 4}">{lon:g}°{"E" if lon >= 0 else "W"}</text>')
        lon += step
    lat = math.ceil(frame.lat0 / step) * step
    while lat < frame.lat1:
        _, y = frame.xy(frame.lon0, lat)
        grat.append(f'<line x1="0" y1="{y:.1f}" x2="{w}" y2="{y:.1f}"/><text class="grat-label" x="3" y="{y - 3:.1f}">{abs(lat):g}°{"N" if lat >= 0 else "S"}</text>')
        lat += step
    grat.append("</g>")
    out += grat
    out += ['<g class="country-labels">', *labels, "</g>"]
    out.append("</g>")
    # incidents, biggest first so small markers stay clickable on top
    pts.sort(key=lambda t: -_radius(t[0].killed))
    out.append('<g class="incidents">')
    for m, x, y in pts:
        r = _radius(m.killed)
        killed = f"; best estimate {m.killed:g} killed" + (f" ({m.killed_note})" if m.killed_note else "") if m.killed else ""
        tip = f"{m.label} {m.title} — {m.date_start or 'undated'} ({m.corroboration}){killed}"
        out.append(
            f'<a href="#{anchor_prefix}{esc(m.label)}"><circle class="incident {esc(m.corroboration.replace(" ", "-"))}" '
            f'data-incident="{esc(m.id)}" data-label="{esc(m.label)}" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
            f'fill="{color_for(m.type)}"><title>{esc(tip)}</title></circle>'
            f'<text class="incident-label" x="{x + r + 3:.1f}" y="{y + 4:.1f}">{esc(m.label)}</text></a>'
        )
    out.append("</g>")
    # scale bar: about a fifth of the width, rounded to a nice number of km
    km_per_px = 111.32 / frame.scale
    target = km_per_px * w / 5
    nice = next((v for v in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000) if v >= target * 0.6), 5000)
    bar = nice / km_per_px
    out.append(
        f'<g class="scale" transform="translate({w - bar - 16:.1f},{h - 18})"><rect x="-6" y="-16" width="{bar + 12:.1f}" height="26" rx="3"/>'
        f'<line x1="0" y1="0" x2="{bar:.1f}" y2="0"/><line x1="0" y1="-4" x2="0" y2="4"/>'
        f'<line x1="{bar:.1f}" y1="-4" x2="{bar:.1f}" y2="4"/><text x="{bar / 2:.1f}" y="-5">{nice} km</text></g>'
    )
    if not located:
        out.append(f'<text class="map-note" x="{w / 2}" y="{h / 2}">No incident could be placed on the map.</text>')
    unplaced = len(marks) - len(located)
    credit = "Outlines: Natural Earth (public domain)"
    if unplaced and located:
        credit = f"{unplaced} incident{'s' if unplaced != 1 else ''} without coordinates not shown · " + credit
    out.append(f'<text class="credit" x="6" y="14">{esc(credit)}</text>')
    out.append("</svg>")
    return "".join(out)

"""The brief's timeline graphic: an inline SVG with a date axis and one bar per incident.

Each incident is a ``rect.incident`` spanning its date interval (at least one
day), coloured by event type; imprecise dates (week, month, range) are drawn
hatched and outlined so they read as "somewhere in here". Curved arrows link
an incident to the ones it is said to follow from, and agreements are drawn as
dashed vertical lines.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from ._style import color_for, esc
from .model import IncidentMark

__all__ = ["render_timeline"]

WIDTH = 760
LEFT, RIGHT = 16, 16
TOP = 46  # room for the axis labels and agreement labels
ROW = 24  # row height for up to ROW_FULL incidents; more incidents get thinner rows (labels only when legible)
ROW_FULL = 40
LABEL_CHARS = 44


def _d(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None


def _ticks(d0: date, d1: date) -> list[tuple[date, str]]:
    days = (d1 - d0).days
    if days <= 14:
        step = 1
    elif days <= 31:
        step = 3
    elif days <= 100:
        step = 7
    else:
        step = 0  # month starts
    out = []
    if step:
        d = d0
        while d <= d1:
            out.append((d, f"{d.day} {d.strftime('%b')}"))
            d += timedelta(days=step)
    else:
        d = date(d0.year, d0.month, 1)
        while d <= d1:
            if d >= d0:
                out.append((d, d.strftime("%b %Y")))
            d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


#: Vertical step between lanes of agreement labels; an estimate of the label font's width per character.
AGREEMENT_LANE = 14
AGREEMENT_CHAR_W = 6.0


def _agreement_lanes(items: list[tuple[float, str]]) -> list[tuple[float, float, int, tuple[str, str]]]:
    """Place each agreement label ``(x of its line, text)`` on the first lane (row below the bars) where it
    overlaps no other label and, where it can, no line crosses a label (lines end at their own lane):
    ``(line x, text x, lane, (text, anchor))``. A label that would run off the right edge ends at its line."""
    placed: list[tuple[float, float, float, int]] = []  # (line x, left, right, lane)
    out = []
    # From the right: a later label takes an upper lane, so the longer lines of earlier ones pass left of it.
    for xa, text in sorted(items, reverse=True):
        w = AGREEMENT_CHAR_W * len(text)
        anchor, x0, x1 = "start", xa + 4, xa + 4 + w
        if x1 > WIDTH - 4:
            anchor, x0, x1 = "end", xa - 4 - w, xa - 4

        def free(lane: int, strict: bool) -> bool:
            for pxa, p0, p1, plane in placed:
                if plane == lane and x0 < p1 + 8 and p0 < x1 + 8:
                    return False
                if strict and plane > lane and x0 - 3 <= pxa <= x1 + 3:
                    return False
                if strict and plane < lane and p0 - 3 <= xa <= p1 + 3:
                    return False
            return True

        lanes = range(len(placed) + 1)  # the last lane is always free of labels
        lane = next((i for i in lanes if free(i, True)), None)
        lane = lane if lane is not None else next(i for i in lanes if free(i, False))
        placed.append((xa, x0, x1, lane))
        out.append((xa, x0 if anchor == "start" else x1, lane, (text, anchor)))
    return out


def _head(h: int, n: int) -> str:
    """The ``<svg>`` opening, title, defs (hatching, arrow head) and background of a graphic ``h`` high."""
    return (
        f'<svg id="timeline" class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h}" '
        f'width="{WIDTH}" height="{h}" role="img" aria-labelledby="timeline-title">'
        f'<title id="timeline-title">Timeline of {n} dated incident{"s" if n != 1 else ""}</title>'
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#fff" fill-opacity="0.0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" '
        'stroke-width="2.2" stroke-opacity="0.75"/></pattern>'
        '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0L10,5L0,10z" fill="#5d6d7e"/></marker></defs>'
        f'<rect class="plot-bg" x="0" y="0" width="{WIDTH}" height="{h}"/>'
    )


def render_timeline(marks: Iterable[IncidentMark], agreements: Iterable[tuple[str, str]] = (),
                    *, anchor_prefix: str = "incident-") -> str:
    """An ``<svg id="timeline">`` with a date axis and one ``rect.incident`` per dated incident."""
    marks = [m for m in marks if _d(m.date_start)]
    agreements = [(d, label) for d, label in agreements if _d(d)]
    starts = [_d(m.date_start) for m in marks] + [_d(d) for d, _ in agreements]
    ends = [_d(m.date_end) or _d(m.date_start) for m in marks] + [_d(d) for d, _ in agreements]
    rows = max(len(marks), 1)
    row = ROW if rows <= ROW_FULL else 16 if rows <= 150 else 8
    h = TOP + rows * row + 30
    if not marks:
        return _head(h, 0) + f'<text class="map-note" x="{WIDTH / 2}" y="{TOP + 10}">No dated incidents to draw.</text></svg>'
    d0 = min(d for d in starts if d) - timedelta(days=1)
    d1 = max(d for d in ends if d) + timedelta(days=2)
    total = max((d1 - d0).days, 1)
    plot_w = WIDTH - LEFT - RIGHT

    def x(d: date) -> float:
        return LEFT + (d - d0).days / total * plot_w

    day_w = plot_w / total
    bottom = TOP + rows * row
    placed = _agreement_lanes([(x(_d(ds)) + day_w / 2, f"{label} ({ds})") for ds, label in agreements])
    h += max((lane for _, _, lane, _ in placed), default=0) * AGREEMENT_LANE  # one more lane per overlap
    out = [_head(h, len(marks))]
    out.append('<g class="axis">')
    for n, (d, label) in enumerate(_ticks(d0, d1)):
        xx = x(d) + (day_w / 2 if day_w > 20 else 0)
        out.append(f'<line class="tick" x1="{x(d):.1f}" y1="{TOP - 6}" x2="{x(d):.1f}" y2="{bottom}"/>')
        if xx < WIDTH - 24:  # a label at the very edge would be cut
            out.append(f'<text class="tick-label" x="{xx:.1f}" y="{TOP - 10}">{esc(label)}</text>')
    out.append(f'<line class="baseline" x1="{LEFT}" y1="{TOP - 6}" x2="{WIDTH - RIGHT}" y2="{TOP - 6}"/></g>')
    for xa, tx, lane, (text, anchor) in placed:
        ty = bottom + 16 + lane * AGREEMENT_LANE
        end = ' text-anchor="end"' if anchor == "end" else ""
        out.append(
            f'<g class="agreement"><line x1="{xa:.1f}" y1="{TOP - 4}" x2="{xa:.1f}" y2="{ty - 10}"/>'
            f'<text x="{tx:.1f}" y="{ty}"{end}>{esc(text)}</text></g>'
        )
    pos: dict[str, tuple[float, float, float]] = {}
    bars = ['<g class="incidents">']
    for i, m in enumerate(marks):
        a = _d(m.date_start)
        b = max(_d(m.date_end) or a, a)
        x0, x1 = x(a), x(b + timedelta(days=1))
        if x1 - x0 < 8:
            pad = (8 - (x1 - x0)) / 2
            x0, x1 = x0 - pad, x1 + pad
        y = TOP + i * row + (4 if row >= 16 else 1)
        bh = row - 8 if row >= 16 else row - 2
        precise = m.precision in (None, "day")
        color = color_for(m.type)
        opacity = "" if precise else ' fill-opacity="0.55"'
        cls = f"incident prec-{esc(m.precision or 'unknown')} {esc(m.corroboration.replace(' ', '-'))}"
        tip = f"{m.label} {m.title}: {m.date_start}" + (f" to {m.date_end}" if m.date_end and m.date_end != m.date_start else "")
        tip += f" (precision: {m.precision or 'unknown'}; {m.corroboration})"
        bars.append(
            f'<a href="#{anchor_prefix}{esc(m.label)}"><rect class="{cls}" data-incident="{esc(m.id)}" '
            f'data-label="{esc(m.label)}" x="{x0:.1f}" y="{y}" width="{x1 - x0:.1f}" height="{bh}" rx="3" '
            f'fill="{color}"{opacity}><title>{esc(tip)}</title></rect>'
        )
        if not precise:
            bars.append(f'<rect class="hatch" x="{x0:.1f}" y="{y}" width="{x1 - x0:.1f}" height="{bh}" rx="3" fill="url(#hatch)" stroke="{color}" stroke-dasharray="3 2"/>')
        text = f"{m.label} · {m.title}"
        text = text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"
        size = "" if row == ROW else " small"
        est_w = (6.2 if row == ROW else 5.2) * len(text)
        base = y + bh - 4 if row == ROW else y + bh + 1
        if row < 16:
            bars.append("</a>")  # too thin to label: the bar's tooltip names it
        elif x1 + 6 + est_w <= WIDTH - 4:
            bars.append(f'<text class="bar-label{size}" x="{x1 + 6:.1f}" y="{base}">{esc(text)}</text></a>')
        else:
            bars.append(f'<text class="bar-label{size} end" x="{x0 - 6:.1f}" y="{base}" text-anchor="end">{esc(text)}</text></a>')
        pos[m.id] = (x0, x1, y + bh / 2)
    bars.append("</g>")
    label_of = {m.id: m.label for m in marks}
    links = ['<g class="links">']
    for m in marks:
        for prev in m.follows_from:
            if prev in pos and m.id in pos:
                px0, px1, py = pos[prev]
                cx0, cx1, cy = pos[m.id]
                # from the bottom of the earlier bar down to the left end of the later one (or its top)
                sx, sy = (px0 + px1) / 2, py + bh / 2
                if cx0 - 4 > sx:
                    ex, ey = cx0 - 1, cy
                    d = f"M{sx:.1f},{sy:.1f} C{sx:.1f},{ey:.1f} {sx:.1f},{ey:.1f} {ex:.1f},{ey:.1f}"
                else:
                    ex, ey = min(max(sx, cx0 + 3), cx1 - 3), cy - bh / 2 - 1
                    d = f"M{sx:.1f},{sy:.1f} C{sx:.1f},{ey - 4:.1f} {ex:.1f},{sy + 4:.1f} {ex:.1f},{ey:.1f}"
                links.append(
                    f'<path class="follows" d="{d}" marker-end="url(#arrow)">'
                    f'<title>{esc(m.label)} follows {esc(label_of[prev])}</title></path>'
                )
    links.append("</g>")
    out += links + bars
    out.append("</svg>")
    return "".join(out)

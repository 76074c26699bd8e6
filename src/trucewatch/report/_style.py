"""Colours shared by the map, the timeline graphic and the HTML legend, and an SVG text escaper."""

from __future__ import annotations

import hashlib
from html import escape

__all__ = ["TYPE_COLORS", "color_for", "esc"]

# Violence in warm colours, diplomacy in cool ones, words (statements, accusations) in greys/purples.
TYPE_COLORS = {
    "armed_clash": "#c0392b",
    "clash": "#c0392b",
    "attack_on_posts": "#e74c3c",
    "attack": "#e74c3c",
    "ground_attack": "#e74c3c",
    "incursion": "#d35400",
    "raid": "#d35400",
    "airstrike": "#8e1b10",
    "air_strike": "#8e1b10",
    "drone_strike": "#8e1b10",
    "shelling": "#e67e22",
    "artillery": "#e67e22",
    "mortar_fire": "#e67e22",
    "cross_border_fire": "#f39c12",
    "explosion": "#b9770e",
    "bombing": "#b9770e",
    "attack_on_civilians": "#922b21",
    "talks": "#2471a3",
    "negotiations": "#2471a3",
    "mediation": "#2e86c1",
    "meeting": "#2e86c1",
    "agreement": "#1e8449",
    "ceasefire": "#1e8449",
    "truce": "#1e8449",
    # Measures against people: each its own hue (olive, gold, teal, raspberry), apart from the rest.
    "border_closure": "#7b7d2a",
    "border_reopening": "#b7950b",
    "deportation": "#00838f",
    "displacement": "#ad1457",
    "threat": "#7d3c98",
    "warning": "#7d3c98",
    "accusation": "#6c3483",
    "denial": "#5b2c6f",
    "statement": "#717d7e",
}


def color_for(event_type: str | None) -> str:
    """The colour of an event type; unknown types get a stable colour from a hash of their name."""
    key = (event_type or "").lower().replace(" ", "_").replace("-", "_")
    if key in TYPE_COLORS:
        return TYPE_COLORS[key]
    h = int(hashlib.sha1(key.encode()).hexdigest()[:6], 16)
    return f"hsl({h % 360}, 45%, 42%)"


def esc(text: object) -> str:
    """Escape text for SVG/HTML element content and attribute values."""
    return escape(str(text), quote=True)

"""Small facts about incident dicts that every report output needs: order, labels, place, dates, figures."""

from __future__ import annotations

from datetime import date
from typing import Any

__all__ = [
    "casualty_sum",
    "date_phrase",
    "fmt_date",
    "fmt_number",
    "incident_labels",
    "ordered_incidents",
    "place_label",
    "primary_place",
]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")

# Gazetteer feature kinds from most to least specific; the most specific located place represents an incident.
_SPECIFICITY = {"crossing": 0, "border crossing": 0, "site": 0, "village": 1, "town": 1, "city": 1, "locality": 1,
                "district": 2, "admin2": 2, "county": 2, "region": 3, "admin1": 3, "province": 3, "country": 4}


def ordered_incidents(incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Incidents in date order (undated last), ties broken by id so the order is stable."""
    return sorted(incidents, key=lambda i: (i.get("date_start") or "9999", i.get("date_end") or "9999", i["id"]))


def incident_labels(incidents: list[dict[str, Any]]) -> dict[str, str]:
    """incident id -> "I1", "I2" ... in date order."""
    return {i["id"]: f"I{n}" for n, i in enumerate(ordered_incidents(incidents), 1)}


def primary_place(incident: dict[str, Any]) -> dict[str, Any] | None:
    """The most specific place of the incident that has coordinates (else the most specific place at all)."""
    places = [p for p in incident.get("places") or [] if isinstance(p, dict)]
    if not places:
        return None

    def rank(p: dict[str, Any]) -> tuple:
        located = p.get("lat") is not None and p.get("lon") is not None
        return (not located, _SPECIFICITY.get((p.get("feature") or "").lower(), 2), p.get("name") or "")

    return sorted(places, key=rank)[0]


def place_label(place: dict[str, Any] | None, *, with_country: bool = True) -> str | None:
    if not place:
        return None
    name = place.get("resolved_name") or place.get("name")
    country = place.get("country")
    if with_country and country and name and name != country:
        return f"{name}, {country}"
    return name or country


def casualty_total(incident: dict[str, Any], category: str = "killed") -> dict[str, Any] | None:
    """The incident's labelled figure for ``category`` (fusion's ``totals``: best, low, high, summed, label)."""
    return next((t for t in incident.get("totals") or [] if t.get("category") == category), None)


def casualty_sum(incident: dict[str, Any], field: str, category: str = "killed") -> float | None:
    """The incident's one figure of ``field`` (low/best/high from fusion's labelled total; acled: the lowest
    figures of groups that never overlap, added); None if none."""
    if field != "acled":
        t = casualty_total(incident, category)
        return None if t is None or t.get(field) is None else float(t[field])
    values = [c.get(field) for c in incident.get("casualties") or []
              if (c.get("category") or "") == category and c.get(field) is not None]
    named = [c.get(field) for c in incident.get("casualties") or []
             if (c.get("category") or "") == category and c.get(field) is not None and (c.get("counted") or "people") != "people"]
    if not values:
        return None
    return float(max(sum(named), max(values)))


def casualty_note(incident: dict[str, Any], category: str = "killed") -> str:
    """What a shown figure is made of, when it adds up groups or stands beside unspecified people ("" else)."""
    t = casualty_total(incident, category)
    return str(t.get("label") or "") if t and (t.get("summed") or ";" in str(t.get("label") or "")) else ""


def fmt_number(x: Any) -> str:
    if x is None or x == "":
        return ""
    try:
        f = float(x)
    except (TypeError, ValueError):
        return str(x)
    return str(int(f)) if f.is_integer() else f"{f:g}"


def _parse(d: str | None) -> date | None:
    try:
        return date.fromisoformat(d[:10]) if d else None
    except ValueError:
        return None


def fmt_date(d: str | None, *, short: bool = False) -> str:
    """``2026-03-08`` -> ``8 March 2026`` (``8 Mar 2026`` when short); other strings unchanged."""
    p = _parse(d)
    if p is None:
        return d or "undated"
    month = _MONTHS[p.month - 1][:3] if short else _MONTHS[p.month - 1]
    return f"{p.day} {month} {p.year}"


def date_phrase(start: str | None, end: str | None, precision: str | None) -> str:
    """A date interval in words at its precision: "8 March 2026", "the week of 2–8 March 2026", "March 2026"."""
    a, b = _parse(start), _parse(end) or _parse(start)
    if a is None:
        return "on an unknown date"
    if precision == "month":
        return f"in {_MONTHS[a.month - 1]} {a.year}"
    if precision == "year":
        return f"in {a.year}"
    if b is None or b == a:
        return f"on {fmt_date(start)}"
    if a.year == b.year and a.month == b.month:
        span = f"{a.day}–{b.day} {_MONTHS[a.month - 1]} {a.year}"
    elif a.year == b.year:
        span = f"{a.day} {_MONTHS[a.month - 1]} – {b.day} {_MONTHS[b.month - 1]} {a.year}"
    else:
        span = f"{fmt_date(start)} – {fmt_date(end)}"
    if precision == "week":
        return f"in the week of {span}"
    return f"between {span}"

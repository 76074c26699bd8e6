"""Place keys and compatibility (same place, city inside a province or country)."""

from __future__ import annotations

from ..records import Place
from ._util import norm

__all__ = ["SPECIFIC", "place_key", "place_level", "places_compatible", "place_sort_key"]

#: Feature types finer than a province; anything unknown with coordinates counts as specific too.
SPECIFIC = frozenset({"city", "town", "village", "crossing", "district", "site", "locality", "border post", "post", "ppl"})


def place_level(p: Place) -> int:
    """0 = country, 1 = province/admin1 or region, 2 = anything finer."""
    f = (p.feature or "").lower()
    if f == "country":
        return 0
    if f in ("admin1", "province", "state", "region", "admin2"):
        return 1
    return 2


def place_key(p: Place) -> str:
    if p.gazetteer_id:
        return f"g:{p.gazetteer_id}"
    return f"n:{norm(p.resolved_name or p.name)}"


def _admin1(p: Place) -> str | None:
    if (p.feature or "").lower() == "admin2":
        return norm(p.admin1) if p.admin1 else None  # a county lies in its state
    if place_level(p) == 1:
        return norm(p.resolved_name or p.name)
    return norm(p.admin1) if p.admin1 else None


def _cc(p: Place) -> str | None:
    if p.country_code:
        return p.country_code.upper()
    if p.country:
        return norm(p.country)
    if place_level(p) == 0:
        return norm(p.resolved_name or p.name)
    return None


def _resolved(p: Place) -> bool:
    return bool(p.gazetteer_id) or p.lat is not None


def pair_level(p: Place, q: Place, unknown_inside: bool = False) -> float:
    """1.0 same place; 0.7 one inside the other (city in province, province in country); 0.3 same country
    only, or (``unknown_inside``) a place the gazetteer does not know beside another (a street, a venue, a
    neighbourhood: it may lie inside); 0.15 places in two countries (a border incident is often placed on both sides); 0.0
    two different known places in one country."""
    if place_key(p) == place_key(q):
        return 1.0
    lp, lq = place_level(p), place_level(q)
    if unknown_inside and lp == lq == 2 and not (_resolved(p) and _resolved(q)):
        return 0.3  # a street, venue or neighbourhood the gazetteer does not know may lie inside the other place
    cp, cq = _cc(p), _cc(q)
    if cp and cq and cp != cq:
        return 0.15
    if lp == lq == 1 and ((p.feature or "").lower() == "admin2") != ((q.feature or "").lower() == "admin2"):
        ap, aq = _admin1(p), _admin1(q)  # a county and a state: the county's state decides
        return (0.7 if ap == aq else 0.0) if ap and aq else 0.3
    if lp == lq:
        return 0.0 if lp > 0 or (cp and cq) else 0.3
    if min(lp, lq) == 0:
        return 0.7 if cp and cq and cp == cq else 0.3
    # one admin1, one finer
    ap, aq = _admin1(p), _admin1(q)
    if ap and aq:
        return 0.7 if ap == aq else 0.0
    return 0.3


def places_compatible(a: tuple[Place, ...], b: tuple[Place, ...], unknown_inside: bool = False) -> float | None:
    """Best pair level between two place sets: None when either is empty (unknown)."""
    if not a or not b:
        return None
    return max(pair_level(p, q, unknown_inside) for p in a for q in b)


def place_sort_key(p: Place) -> tuple:
    return (-place_level(p), place_key(p), p.name)

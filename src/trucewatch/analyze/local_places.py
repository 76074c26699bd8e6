"""Places a report names where the model's entity tags miss them: its dateline, and the town a police force
serves.

Local news says where its story happened in two habitual ways. The dateline ("CLIFTON, Colo. --",
"OGDEN --", "Killingly (AP) --") is found at ingest (``Article.dateline``); here its place names are geocoded,
inside the state or province that follows them when one does ("Colo." keeps Clifton, Colorado apart from
Clifton, New Jersey). And the force that answers a call is named after its town ("Erie police said", "the
Benton Police Department", "Universal City Police"), which the small model tags as one organisation; the
town in front of such a word is a place of the story when the gazetteer knows it as a town or county of the
article's countries (or, when the article names no country, as a town of some size).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import TYPE_CHECKING

from ..records import Article, Place

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

    from .places import Gazetteer

__all__ = ["DATELINE_REASON", "dateline_places", "jurisdiction_places", "region_matches", "within_named_provinces"]

#: How a place found in the dateline says so (``Place.reason``).
DATELINE_REASON = "named in the dateline"
#: Where in the text a dateline may stand (it opens one of the first lines).
DATELINE_REACH = 600
#: Words after a town's name that make it the seat of a public force ("Erie police", "Joliet Fire Department").
FORCE_WORDS = frozenset({"police", "pd", "sheriff", "fire", "detectives", "firefighters", "paramedics", "troopers"})
_AGENCY = re.compile(r"\s*\([^)]*\)\s*")
_MONTH_TAIL = re.compile(r",?\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d.*$")


def dateline_places(article: Article, gazetteer: Gazetteer, ctx: frozenset[str]) -> list[Place]:
    """Geocoded places of ``article.dateline``, spanning their names where the dateline stands in the text."""
    if not article.dateline:
        return []
    text = article.text
    at = text.find(article.dateline, 0, DATELINE_REACH + len(article.dateline))
    if at < 0:
        return []
    line = _MONTH_TAIL.sub("", _AGENCY.sub(" ", article.dateline)).strip(" ,")
    out: list[Place] = []
    for part in re.split(r"\s*/\s*|\s+and\s+|\s*&\s*", line):
        name, _, region = part.partition(",")
        name, region = name.strip(" \u2014\u2013-:"), region.strip(" \u2014\u2013-:")  # "KABUL — Oct 29": no dash
        if not name:
            continue
        start = text.find(name, at, at + len(article.dateline))
        if start < 0:
            continue
        if region and gazetteer.country_code(region) and not gazetteer.candidates(name):
            continue
        p = gazetteer.geocode_within(name, region or None, ctx, start=start, end=start + len(name))
        province = None
        if region:
            # the state after the town is a place too ("ORCHARD PARK, N.Y."), and says where a town too small
            # for the gazetteer is
            rs = text.find(region, start + len(name), at + len(article.dateline))
            if rs >= 0:
                province = gazetteer.province_named(region, {p.country_code} if p.country_code else (ctx or gazetteer.country_names),
                                                    start=rs, end=rs + len(region))
        for q in (p, province):
            if q is not None and q.lat is not None:
                out.append(dataclasses.replace(q, reason=f"{DATELINE_REASON}{'; ' + q.reason if q.reason else ''}"))
    return out


def jurisdiction_places(doc: Doc, gazetteer: Gazetteer, ctx: frozenset[str], taken: set[int]) -> list[Place]:
    """Towns and counties named as the seat of a police force, sheriff or fire department in ``doc``."""
    out: list[Place] = []
    for tok in doc:
        if tok.lower_ not in FORCE_WORDS or tok.i == 0:
            continue
        e = tok.i
        s = e
        while s > 0 and e - s < 4 and doc[s - 1].pos_ == "PROPN" and doc[s - 1].text[:1].isupper() \
                and doc[s - 1].lower_ not in FORCE_WORDS:
            s -= 1
        if s == e or any(i in taken for i in range(s, e)):
            continue
        if doc[s].ent_type_ in ("PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL"):
            continue  # "Officer Smith police" / "Tuesday police" are no towns
        name = doc[s:e].text
        # in the article's countries; a local report often names none, and then the gazetteer's own rule holds
        # (a big town anywhere, no small one)
        cands = [c for c in gazetteer.candidates(name) if c.feature in ("city", "admin2") and (not ctx or c.country_code in ctx)]
        if not cands:
            continue
        p = gazetteer.geocode(name, ctx, start=doc[s].idx, end=doc[e - 1].idx + len(doc[e - 1].text))
        if p.lat is not None and p.feature in ("city", "admin2"):
            out.append(p)
            taken.update(range(s, e))
    return out


def within_named_provinces(places: list[Place], gazetteer: Gazetteer, ctx: frozenset[str]) -> list[Place]:
    """Re-geocode towns and counties that have a namesake in a province the article names ("Perry County" in a
    report that names Pennsylvania is Pennsylvania's, not Tennessee's); the others are kept as they are."""
    named = {p.resolved_name for p in places if p.feature == "admin1" and p.resolved_name}
    named |= {p.admin1 for p in places if p.admin1 and (p.reason or "").startswith(DATELINE_REASON)}
    if not named:
        return places
    out = []
    for p in places:
        if p.lat is None and p.name[:1].isupper() and p.reason == "not in the gazetteer":
            # a town too small for the main list, in a province the report names ("Bellefontaine" in Ohio)
            for province in sorted(named):
                q = gazetteer.geocode_within(p.name, province, ctx, start=p.start, end=p.end, province_only=True)
                if q.admin1 == province and q.lat is not None:
                    p = dataclasses.replace(q, reason=f"a town in {province}, which the report names")
                    break
        elif p.feature in ("city", "admin2") and p.admin1 not in named and p.lat is not None:
            for province in sorted(named):
                q = gazetteer.geocode_within(p.name, province, ctx, start=p.start, end=p.end, province_only=True)
                if q.admin1 == province and q.lat is not None:
                    p = q
                    break
        out.append(p)
    return out


def region_matches(abbrev: str, admin1: str | None) -> bool:
    """Whether ``abbrev`` names the province ``admin1``: in full, or abbreviated as news styles do, each part's
    letters in order within one word and starting it ("Colo." Colorado, "Ky." Kentucky, "N.M." New Mexico,
    "W.Va." West Virginia, "IL" Illinois, "Qld" Queensland)."""
    if not admin1:
        return False
    words = [w for w in re.split(r"[^a-z]+", unicodedata.normalize("NFKD", admin1).encode("ascii", "ignore").decode().lower()) if w]
    raw = abbrev.strip().rstrip(".")
    if _fold(raw) == _fold(admin1):
        return True
    parts = [p for p in re.split(r"[.\s]+", raw) if p]
    if len(parts) == 1 and len(parts[0]) == 2 and parts[0].isupper() and len(words) == 2:
        parts = list(parts[0])  # "NM", "NC": the initials of a two-word name
    if not parts or len(parts) != len(words):
        return False
    for part, word in zip(parts, words):
        part = part.lower()
        if part[0] != word[0]:
            return False
        it = iter(word[1:])
        if not all(ch in it for ch in part[1:]):
            return False
    return True


def _fold(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower())

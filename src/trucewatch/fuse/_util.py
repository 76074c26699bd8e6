"""Small helpers shared by the fusion modules: union-find, text normalisation, dates."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from datetime import date, timedelta
from functools import lru_cache

__all__ = [
    "STOPWORDS",
    "UnionFind",
    "block_fingerprint",
    "cached_pairs",
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

#: Words almost every conflict report uses; they say nothing about WHICH incident a sentence is about.
CONFLICT_COMMON = frozenset(
    """forces force troops soldiers soldier killed killing kill dead death deaths wounded wounding injured
    attack attacks attacked fire fired firing officials official spokesman spokeswoman spokesperson ministry
    military army border near leaving local reports statement commander confirmed residents witnesses
    escalation people civilians government sides side security told reporters latest including also
    according new early late night morning evening area region""".split()
)

_WORD = re.compile(r"\w+", re.UNICODE)
_TITLES = frozenset(
    "mr mrs ms dr gen general lt col colonel maj major capt captain brig sheikh sir prof president prime minister "
    "defence defense foreign interior minister spokesman spokesperson spokeswoman deputy secretary chief maulana mullah "
    "hon senator commander lieutenant admiral marshal".split()
)


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def norm(text: str) -> str:
    """Case-folded text without accents, punctuation runs collapsed to single spaces."""
    if len(text) <= 200:
        return _norm_short(text)
    return _norm(text)


@lru_cache(maxsize=20_000)
def _norm_short(text: str) -> str:
    return _norm(text)


def _norm(text: str) -> str:
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_WORD.findall(text.casefold().replace("_", " ")))


def tokens(text: str) -> list[str]:
    return norm(text).split()


def content_tokens(text: str) -> frozenset[str]:
    """Normalised words of ``text`` that are not stopwords or digits-only short tokens."""
    return frozenset(t for t in tokens(text) if t not in STOPWORDS and t not in CONFLICT_COMMON and len(t) > 2)


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


def block_fingerprint(fingerprints: Iterable[str]) -> str:
    h = hashlib.sha1()
    for fp in sorted(fingerprints):
        h.update(fp.encode())
    return h.hexdigest()[:20]


def cached_pairs(
    blocks: dict[str, list],
    fingerprint: Callable[[object], str],
    score_block: Callable[[list], list],
    cache: dict[str, tuple[str, list]],
    prefix: str,
    changed: set[str] | None = None,
) -> tuple[list, int]:
    """The scored pairs of every block, re-scoring only blocks whose members changed.

    ``cache`` maps ``prefix + block key`` to ``(fingerprint of the members, pairs)`` and is updated
    in place (entries of vanished blocks under ``prefix`` are dropped); the keys written or dropped
    are added to ``changed``. Returns the pairs of all blocks and how many blocks were re-scored.
    """
    pairs: list = []
    rescored = 0
    for key in sorted(blocks):
        members = blocks[key]
        fp = block_fingerprint(fingerprint(m) for m in members)
        hit = cache.get(prefix + key)
        if hit is not None and hit[0] == fp:
            found = hit[1]
        else:
            found = score_block(members)
            cache[prefix + key] = (fp, found)
            rescored += 1
            if changed is not None:
                changed.add(prefix + key)
        pairs.extend(found)
    live = {prefix + k for k in blocks}
    for key in [k for k in cache if k.startswith(prefix) and k not in live]:
        del cache[key]
        if changed is not None:
            changed.add(key)
    return pairs, rescored

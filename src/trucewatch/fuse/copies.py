"""Syndicated copies and near-duplicates (MinHash LSH over word shingles), wire credits, independent sources.

Two articles are copies of one report when their word 3-shingle sets have an
estimated Jaccard similarity >= :data:`COPY_JACCARD`, or when both credit the
same wire agency and the similarity is >= :data:`WIRE_JACCARD` (a wire story
rewritten more heavily by each outlet). Copies and articles crediting the same
wire count as ONE independent source; so do two articles of the same outlet.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterable, Mapping
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from ..records import Article, CopyGroup, stable_id
from ._util import UnionFind, day, norm

__all__ = [
    "COPY_JACCARD",
    "NUM_PERM",
    "SourceIndex",
    "copy_groups",
    "decode_signature",
    "encode_signature",
    "signature",
    "wire_credit",
    "wire_in",
]

# Tuned together on hand-made copies and rewrites (tests/test_fuse_copies.py): a copy with a new
# headline and a changed paragraph scores ~0.6-0.9; two outlets' own reports of one event score < 0.15.
NUM_PERM = 64
SHINGLE = 3
COPY_JACCARD = 0.5
WIRE_JACCARD = 0.2
COPY_WINDOW = 4  # days between publications of copies
SIGNATURE_VERSION = "sig1"

#: Wire agencies known world-wide (general data, not tied to any corpus). Others are found by shape
#: ("X News Agency", "X Wire", "X Press Agency").
WIRES = {
    "reuters": "Reuters",
    "afp": "AFP",
    "agence france presse": "AFP",
    "agence france-presse": "AFP",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "xinhua": "Xinhua",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "tass": "TASS",
    "interfax": "Interfax",
    "bernama": "Bernama",
    "antara": "Antara",
    "ani": "ANI",
    "pti": "PTI",
    "ians": "IANS",
    "upi": "UPI",
    "app": "APP",
    "bloomberg": "Bloomberg",
}
_WIRE_NAMES = sorted(WIRES, key=len, reverse=True)
_KNOWN = "|".join(re.escape(w) for w in _WIRE_NAMES)
_SHAPED = r"(?-i:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}\s+(?:News\s+Agency|Press\s+Agency|Wire|News\s+Service|Presse))"
_CREDIT_PATTERNS = (
    re.compile(rf"\(\s*({_KNOWN}|{_SHAPED})\s*\)", re.I),  # "(Reuters)"
    re.compile(rf"(?:^|\n)\s*[—–-]+\s*({_KNOWN}|{_SHAPED})\s*$", re.I | re.M),  # "— AFP" on its own line
    re.compile(rf"[A-Z]{{3,}}[^\n]{{0,40}}?\s[—–-]\s*({_KNOWN}|{_SHAPED})\b", re.M),  # "KABUL — AFP"
    re.compile(rf"\b(?:by|from|via|source:?)\s+({_SHAPED})", re.I),
)
_SENTENCE_PATTERNS = (
    re.compile(r"\btold\s+(a|an)\s+(?:\w+\s+)?(news\s+agency|wire\s+service)\b", re.I),
    re.compile(rf"\btold\s+(?:the\s+)?({_KNOWN}|{_SHAPED})\b", re.I),
    re.compile(rf"\b({_KNOWN}|{_SHAPED})\s+(?:reported|said|quoted|cited)\b", re.I),
    re.compile(rf"\baccording\s+to\s+(?:the\s+)?({_KNOWN}|{_SHAPED})\b", re.I),
    re.compile(rf"\(\s*({_KNOWN}|{_SHAPED})\s*\)", re.I),
)


def _wire_name(found: str) -> str:
    key = norm(found)
    if key.startswith("the "):
        key = key[4:]
    return WIRES.get(key, " ".join(w.capitalize() for w in key.split()))


_HINT_WORDS = frozenset(w for w in WIRES if " " not in w) | {"agency", "wire", "presse", "service", "associated", "agence"}
_HINT = re.compile(r"[a-z]+")


def _may_credit(text: str) -> bool:
    """A cheap test that ``text`` could name a wire agency (skips the costly patterns on most text)."""
    return not _HINT_WORDS.isdisjoint(_HINT.findall(text.lower()))


def wire_credit(article: Article) -> str | None:
    """The wire agency an article credits as its origin (dateline, byline or end credit), or None."""
    head, tail = article.text[:400], article.text[-200:]
    for part in (head, tail):
        if not _may_credit(part):
            continue
        for pat in _CREDIT_PATTERNS:
            m = pat.search(part)
            if m:
                return _wire_name(m.group(1))
    if article.outlet:
        key = norm(article.outlet)
        if key in WIRES or re.search(_SHAPED, article.outlet):
            return _wire_name(article.outlet)
    return None


def wire_in(sentence: str) -> str | None:
    """The wire agency a sentence attributes its information to ("told Reuters", "told a news agency")."""
    if not _may_credit(sentence):
        return None
    for pat in _SENTENCE_PATTERNS:
        m = pat.search(sentence)
        if m:
            if m.group(1).lower() in ("a", "an"):
                return "a news agency"
            return _wire_name(m.group(1))
    return None


# ------------------------------------------------------------------ MinHash signatures

_MH = MinHash(num_perm=NUM_PERM, seed=1)


def _shingle_hashes(text: str) -> np.ndarray:
    """Distinct 32-bit hashes of the word 3-shingles (word crc32s combined arithmetically)."""
    words = norm(text).split()
    if len(words) < SHINGLE:
        words = words + [""] * (SHINGLE - len(words))
    h = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    n = len(words) - SHINGLE + 1
    grams = (h[:n] * np.uint64(1_000_003) + h[1 : n + 1]) * np.uint64(1_000_033) + h[2 : n + 2]
    return np.unique(grams & np.uint64(0xFFFFFFFF))


def signature(text: str) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint32 values) of ``text``'s word 3-shingles."""
    hv = _shingle_hashes(text)
    a, b = _MH.permutations
    phv = np.bitwise_and((np.outer(hv, a) + b) % np.uint64((1 << 61) - 1), np.uint64(0xFFFFFFFF))
    return phv.min(axis=0).astype(np.uint32)


def encode_signature(sig: np.ndarray) -> str:
    return base64.b64encode(sig.astype("<u4").tobytes()).decode("ascii")


def decode_signature(data: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(data), dtype="<u4").astype(np.uint32)


@lru_cache(maxsize=1)
def _lsh_params() -> tuple[int, int]:
    """Bands and rows for the LSH threshold (computed once: datasketch integrates to find them)."""
    probe = MinHashLSH(threshold=min(COPY_JACCARD, 0.4), num_perm=NUM_PERM)
    return probe.b, probe.r


def copy_groups(
    articles: Iterable[Article], signatures: Mapping[str, np.ndarray], credits: Mapping[str, str | None]
) -> tuple[CopyGroup, ...]:
    """Groups of two or more articles that are copies of one report, each with its reason."""
    arts = sorted(articles, key=lambda a: a.id)
    # One LSH index per COPY_WINDOW-day slice of publication dates: copies are published close
    # together, so an article is only looked up in its own and the neighbouring slices (linear cost
    # even when boilerplate makes many old articles look alike). Undated articles go in their own
    # index, which every article also queries.
    indexes: dict[int | None, MinHashLSH] = {}
    lean = {}
    slice_of: dict[str, int | None] = {}
    for a in arts:
        d = day(a.published)
        b = None if d is None else d // COPY_WINDOW
        slice_of[a.id] = b
        m = LeanMinHash(seed=1, hashvalues=signatures[a.id], scheme="affine32")
        lean[a.id] = m
        if b not in indexes:
            indexes[b] = MinHashLSH(num_perm=NUM_PERM, params=_lsh_params())
        indexes[b].insert(a.id, m)
    uf = UnionFind(a.id for a in arts)
    by_id = {a.id: a for a in arts}
    reasons: dict[tuple[str, str], str] = {}
    for a in arts:
        b = slice_of[a.id]
        look = list(indexes) if b is None else [b - 1, b, b + 1, None]
        candidates = set()
        for key in look:
            if key in indexes:
                candidates.update(indexes[key].query(lean[a.id]))
        for other in sorted(candidates):
            if other <= a.id:
                continue
            d0, d1 = day(a.published), day(by_id[other].published)
            if d0 is not None and d1 is not None and abs(d0 - d1) > COPY_WINDOW:
                continue  # a look-alike report days later is a new report, not a copy
            j = float(np.mean(signatures[a.id] == signatures[other]))
            ca, cb = credits.get(a.id), credits.get(other)
            if j >= COPY_JACCARD:
                reasons[(a.id, other)] = f"near-duplicate text (jaccard {j:.2f})"
                uf.union(a.id, other)
            elif ca and ca == cb and j >= WIRE_JACCARD:
                reasons[(a.id, other)] = f"same wire credit ({ca}), similar text (jaccard {j:.2f})"
                uf.union(a.id, other)
    del indexes, lean
    why_of: dict[str, set[str]] = {}
    for (x, _), r in reasons.items():
        why_of.setdefault(uf.find(x), set()).add(r)
    out = []
    for members in uf.groups():
        if len(members) < 2:
            continue
        original = min(members, key=lambda i: (by_id[i].published or "9999", i))
        why = sorted(why_of.get(uf.find(members[0]), ()), key=lambda r: (not r.startswith("near"), r))
        out.append(
            CopyGroup(
                id=stable_id("copies", members[0], prefix="cp_"),
                article_ids=tuple(members),
                original_id=original,
                reason=why[0] if why else "near-duplicate text",
            )
        )
    return tuple(out)


class SourceIndex:
    """Counts independent sources: copies, one outlet's articles and one wire's stories each count once."""

    def __init__(self, articles: Iterable[Article], copies: Iterable[CopyGroup], credits: Mapping[str, str | None]):
        self.group = {}
        for g in copies:
            for aid in g.article_ids:
                self.group[aid] = g.id
        self.outlet = {a.id: (norm(a.outlet) if a.outlet else None) for a in articles}
        self.credits = dict(credits)

    def nodes(self, article_id: str, sentence_wire: str | None = None) -> tuple[str, ...]:
        if sentence_wire:
            return (f"src:{norm(sentence_wire)}",)
        nodes = [self.group.get(article_id, f"art:{article_id}")]
        outlet = self.outlet.get(article_id)
        if outlet:
            nodes.append(f"src:{outlet}")
        credit = self.credits.get(article_id)
        if credit:
            nodes.append(f"src:{norm(credit)}")
        return tuple(nodes)

    def count(self, items: Iterable[tuple[str, str | None]]) -> int:
        """Independent sources among ``(article_id, sentence_wire)`` items (never more than the articles)."""
        uf = UnionFind()
        items = list(items)
        for aid, wire in items:
            nodes = self.nodes(aid, wire)
            for n in nodes:
                uf.add(n)
            for n in nodes[1:]:
                uf.union(nodes[0], n)
        return min(len(uf.groups()), len({aid for aid, _ in items}))

    def key(self, article_id: str, sentence_wire: str | None = None) -> str:
        """One representative source key (for de-duplicating claims from copies)."""
        return self.nodes(article_id, sentence_wire)[0]

"""Shapes for the API (mirroring the JSON export contract) and view models for the pages.

The ``*_public`` functions turn stored rows into the export contract's
objects (issue 4: articles, actors, quotes, claims, incidents, disputes,
stories, copies); extra keys of the stored records are kept ("more welcome").
:func:`segments` cuts an article's text into highlighted pieces for the
reader and the incident page; templates escape every piece.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..labels import link_url

__all__ = [
    "article_public",
    "claim_public",
    "dispute_public",
    "incident_public",
    "passage",
    "quote_public",
    "review_index",
    "reviews_for",
    "segments",
]

_ARTICLE_KEYS = (
    "id", "title", "outlet", "url", "source_path", "dateline", "published", "published_inferred",
    "published_origin", "published_precision", "language",
)


def article_public(row: Mapping[str, Any]) -> dict[str, Any]:
    """An article row as the export contract's ``articles`` item (``text`` when the row has it)."""
    out = {k: row.get(k) for k in _ARTICLE_KEYS}
    out["url"] = link_url(out.get("url"))  # as the export: only a web address, which clients may link
    out["published_inferred"] = bool(out["published_inferred"])
    out["published_range"] = (
        [row["published_start"], row["published_end"]] if row.get("published_start") else None
    )
    if "text" in row:
        out["text"] = row["text"]
    return out


def quote_public(q: Mapping[str, Any], cluster_id: str | None, canonical: Mapping[str, str]) -> dict[str, Any]:
    """A stored quote (from an analysis) as the contract's ``quotes`` item.

    ``canonical`` maps per-article actor ids to canonical ones (as the export does).
    """
    keys = ("id", "article_id", "text", "speaker", "cue", "direct", "start", "end",
            "speaker_start", "speaker_end", "published", "outlet")
    out = {k: q.get(k) for k in keys}
    sid = q.get("speaker_actor_id")
    out["speaker_actor_id"] = canonical.get(sid) if sid else None
    out["cluster_id"] = cluster_id
    return out


def claim_public(c: Mapping[str, Any], incident_id: str | None, canonical: Mapping[str, str]) -> dict[str, Any]:
    """A stored claim as the contract's ``claims`` item."""
    keys = ("id", "article_id", "value", "low", "high", "original", "category", "counted", "predicate", "side",
            "claimant", "hedge", "start", "end", "event_id", "published", "outlet")
    out = {k: c.get(k) for k in keys}
    cid = c.get("claimant_actor_id")
    out["claimant_actor_id"] = canonical.get(cid) if cid else None
    out["incident_id"] = incident_id
    return out


def _place_public(p: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("name", "resolved_name", "country", "country_code", "admin1", "lat", "lon", "feature", "gazetteer_id")
    return {k: p.get(k) for k in keys}


def incident_public(inc: Mapping[str, Any]) -> dict[str, Any]:
    """A stored incident as the contract's ``incidents`` item."""
    out = dict(inc)
    out["places"] = [_place_public(p) for p in inc.get("places", [])]
    return out


def dispute_public(d: Mapping[str, Any]) -> dict[str, Any]:
    """A stored dispute as the contract's ``disputes`` item."""
    out = dict(d)
    out.setdefault("incident_id", None)
    out.setdefault("quote_cluster_id", None)
    return out


# ---------------------------------------------------------------------- highlighting

_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s")


def shorten(text: str | None, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut after a whole word with " …" (never mid-word)."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + " …"


#: Map marker radius in pixels: area grows with people killed and injured, up to a cap so that
#: one large figure cannot cover its neighbours.
MIN_RADIUS, MAX_RADIUS = 5.0, 24.0


def marker_radius(harmed: float) -> float:
    return round(min(MAX_RADIUS, MIN_RADIUS + 3 * math.sqrt(max(harmed, 0.0))), 1)


def passage(text: str, start: int, end: int, *, limit: int = 420) -> tuple[int, int]:
    """The sentence(s) around ``[start, end)`` in ``text``, at most about ``limit`` characters."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    lo = max(0, start - limit // 2)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    s = ends[-1] if ends else (0 if lo == 0 else lo)
    m = _SENTENCE_END.search(text, end, min(len(text), end + limit // 2))
    e = m.end() if m else min(len(text), end + limit // 2)
    return s, e


def segments(
    text: str, spans: Iterable[tuple[int, int, str, str]], lo: int = 0, hi: int | None = None
) -> list[tuple[str, tuple[str, ...], str, int]]:
    """Cut ``text[lo:hi]`` at every span boundary: ``[(piece, classes, title, offset)]``.

    ``spans`` are ``(start, end, css_class, title)``; overlapping spans give a
    piece every class that covers it. The pieces are plain text: the template
    escapes them.
    """
    hi = len(text) if hi is None else hi
    spans = [(max(lo, s), min(hi, e), cls, title) for s, e, cls, title in spans if e > lo and s < hi and e > s]
    cuts = sorted({lo, hi, *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [(cls, title) for s, e, cls, title in spans if s <= a and e >= b]
        classes = tuple(sorted({c for c, _ in covering}))
        title = "; ".join(dict.fromkeys(t for _, t in covering if t))
        out.append((text[a:b], classes, title, a))
    return out


def analysis_spans(analysis: Mapping[str, Any] | None) -> list[tuple[int, int, str, str]]:
    """Highlight spans for an article reader: quotes, claims, events, places, times."""
    if not analysis:
        return []
    spans: list[tuple[int, int, str, str]] = []
    for q in analysis.get("quotes", []):
        spans.append((q["start"], q["end"], "hl-quote", f"quote — {q.get('speaker') or 'unattributed'}"))
        if q.get("speaker_start") is not None and q.get("speaker_end") is not None:
            spans.append((q["speaker_start"], q["speaker_end"], "hl-speaker", "speaker"))
    for c in analysis.get("claims", []):
        spans.append((c["start"], c["end"], "hl-claim",
                      f"{c.get('category')}: {c.get('original')} — claimant: {c.get('claimant')}"))
    for e in analysis.get("events", []):
        spans.append((e["start"], e["end"], "hl-event", f"event: {e.get('type')}"))
    for p in analysis.get("places", []):
        spans.append((p["start"], p["end"], "hl-place", f"place: {p.get('resolved_name') or p.get('reason') or ''}"))
    for t in analysis.get("times", []):
        spans.append((t["start"], t["end"], "hl-time", f"time: {t.get('date_start') or t.get('reason') or ''}"))
    return spans


# ---------------------------------------------------------------------- review decisions


def _review_dict(r) -> dict[str, Any]:
    return {
        "id": r.id, "target_kind": r.target_kind, "target_id": r.target_id, "action": r.action,
        "value": r.value, "reviewer": r.reviewer, "reason": r.reason, "at": r.at,
    }


def review_index(store) -> dict[str, list[dict[str, Any]]]:
    """target id -> the review decisions that target it (in the order recorded): the whole log, indexed."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in store.reviews():
        out.setdefault(r.target_id, []).append(_review_dict(r))
    return out


def reviews_for(store, ids: Iterable[str], *, index: dict[str, list[dict[str, Any]]] | None = None
                ) -> dict[str, list[dict[str, Any]]]:
    """The review decisions that target each of ``ids`` (in the order they were recorded), as JSON-ready dicts.

    Every id is a key (an empty list when nothing targets it). Decisions are shown wherever
    their record appears: who, when, action, value, why. ``index`` is :func:`review_index`'s
    answer when the caller cached it (the web app does, per data version); otherwise it is read.
    """
    if index is None:
        index = review_index(store)
    return {i: list(index.get(i, ())) for i in dict.fromkeys(i for i in ids if i)}

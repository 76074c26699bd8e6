"""What story clustering compares: each article's words and names as one TF-IDF vector, its dates and its main event.

An article is represented by

* its content words (title and text) as a TF-IDF vector fitted on the store's own articles
  (scikit-learn's ``TfidfVectorizer``: sublinear term frequency, English stop words, words that
  appear in more than :data:`MAX_DF` of the articles dropped once the store is large enough);
* its named entities — canonical persons and organisations (who) and geocoded places (where) —
  as a second TF-IDF vector over entity keys, weighted ``entity_weight`` against the words;
* its main event: the incident it reports first (type, dates, places, named participants), which
  makes hard negatives (two events of one kind on incompatible dates or in incompatible places);
* its known days: the main event's dates, else its publication date (a publication date inferred
  from the text only when nothing better is known), else none (undated: time says nothing).

Everything is computed over the articles sorted by id, so the vectors do not depend on input order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from ..records import Analysis, Article, Incident, Place
from ._util import day, norm, norm_name
from .incidents import family_of
from .places import place_level, places_compatible

__all__ = ["MainEvent", "article_days", "compatible", "entity_keys", "participants", "participant_key", "main_events", "vectors"]

MAX_DF = 0.5  # words in more than this share of the articles carry no story (only once MIN_DOCS_FOR_MAX_DF are stored)
MIN_DOCS_FOR_MAX_DF = 20
TEXT_CHARS = 6000  # characters of an article read for its words (the lead and body tell the story; tails repeat boilerplate)
DATE_WIDTH = 3  # days: a main event dated within this width has a date precise enough to rule out another
ENTITY_KINDS = frozenset({"person", "organization", "armed_group", "group", "government"})
LEAD_ENTITY_CHARS = 250  # an entity named this early (or in the headline) is a main participant of the article's news
_TOKEN = r"(?u)\b[^\W\d_][^\W\d_'’-]+\b"  # words of two or more letters (no numbers: figures differ between accounts)


@dataclass(frozen=True, slots=True)
class MainEvent:
    """The event an article is mainly about: the first-reported incident it is part of."""

    incident_id: str
    family: str
    type: str
    lo: int | None  # precise dates only (width <= DATE_WIDTH); None when vague or unknown
    hi: int | None
    places: tuple[Place, ...]  # its places finer than a country
    actors: frozenset[str]  # canonical acting and target actors
    days: tuple[int, int] | None = None  # its dates at any width up to a month (for the time decay)


def main_events(incidents: Sequence[Incident]) -> dict[str, MainEvent]:
    """Article id -> its main event: the incident mentioned earliest in the article (the lead), ties by more mentions."""
    best: dict[str, tuple[tuple, Incident]] = {}
    for inc in sorted(incidents, key=lambda i: i.id):
        first: dict[str, int] = {}
        count: dict[str, int] = defaultdict(int)
        for m in inc.mentions:
            first[m.article_id] = min(first.get(m.article_id, m.start), m.start)
            count[m.article_id] += 1
        for aid in inc.article_ids:
            key = (first.get(aid, 1 << 30), -count[aid], inc.id)
            if aid not in best or key < best[aid][0]:
                best[aid] = (key, inc)
    out = {}
    for aid, (_, inc) in best.items():
        lo, hi = day(inc.date_start), day(inc.date_end or inc.date_start)
        days = (lo, hi) if lo is not None and hi is not None and hi - lo <= 31 else None
        if lo is None or hi is None or hi - lo > DATE_WIDTH:
            lo = hi = None
        out[aid] = MainEvent(inc.id, family_of(inc.type), inc.type, lo, hi,
                             tuple(p for p in inc.places if place_level(p) > 0),
                             frozenset(inc.acting) | frozenset(inc.target), days)
    return out


def compatible(a: MainEvent, b: MainEvent, date_gap: int) -> bool:
    """False for a hard negative: two events of one type, with no named participant in common, dated more than
    ``date_gap`` days apart or placed in different places (different towns, provinces or countries).

    Events of different types, or sharing a named participant (the same armies, the same suspect), may be one
    story told over time and space; an unknown date or place rules nothing out."""
    if a.incident_id == b.incident_id or a.type != b.type or (a.actors & b.actors):
        return True
    if a.lo is not None and b.lo is not None and a.hi is not None and b.hi is not None:
        if max(a.lo, b.lo) - min(a.hi, b.hi) > date_gap:
            return False
    level = places_compatible(a.places, b.places, unknown_inside=True)
    return level is None or level >= 0.3


def article_days(articles: Sequence[Article], mains: Mapping[str, MainEvent]) -> list[tuple[int, int] | None]:
    """Per article (in the given order): the days it is about, or None when undated."""
    out: list[tuple[int, int] | None] = []
    for a in articles:
        m = mains.get(a.id)
        if m is not None and m.days is not None:
            out.append(m.days)
            continue
        d = day(a.published)
        if d is not None and a.published_range and a.published_inferred:
            lo, hi = day(a.published_range[0]), day(a.published_range[1])
            out.append((lo, hi) if lo is not None and hi is not None and hi - lo <= 31 else None)
        else:
            out.append((d, d) if d is not None else None)
    return out


def entity_keys(aid: str, named: Mapping[str, Sequence[str]], kinds: Mapping[str, str],
                places: Mapping[str, Sequence[Place]]) -> list[str]:
    """The entity keys of one article: canonical persons, organisations and countries (as actors), and places
    below a country."""
    keys = [f"a:{c}" for c in sorted(set(named.get(aid, ()))) if kinds.get(c, "person") in ENTITY_KINDS | {"country"}]
    for p in places.get(aid, ()):
        if place_level(p) == 0:
            continue
        keys.append(f"p:{p.gazetteer_id}" if p.gazetteer_id else f"p:{(p.resolved_name or p.name).casefold()}")
    return keys


def participant_key(name: str, kind: str) -> str:
    """A person by family name (the short form reports use, "Bush" for "Reggie Bush"), anything else by name."""
    n = norm_name(name)
    return n.rsplit(" ", 1)[-1] if kind == "person" else n


def participants(a: Article, an: Analysis | None) -> frozenset[str]:
    """Keys (:func:`participant_key`) of the persons and organisations an article names in its headline or
    opening: who its news is about ("X stops Y in the sixth round", "Saints place Z on injured reserve")."""
    if an is None:
        return frozenset()
    title = f" {norm(a.title or '')} "
    lead = set()
    for act in an.actors:
        if act.kind not in ENTITY_KINDS:
            continue
        key = participant_key(act.name, act.kind)
        if len(key) >= 3 and (any(s < LEAD_ENTITY_CHARS for s, _ in act.mentions) or f" {key} " in title):
            lead.add(key)
    return frozenset(lead)


def _text(a: Article) -> str:
    title = a.title or ""
    body = a.text[:TEXT_CHARS]
    return f"{title}\n{body}" if title and not body.startswith(title[:40]) else body


def vectors(articles: Sequence[Article], entities: Sequence[Sequence[str]], entity_weight: float):
    """One L2-normalised row per article: its TF-IDF word vector and (weighted ``entity_weight``) its entity
    vector; and a function giving rows in the same space for other texts (their words only)."""
    n = len(articles)
    texts = [_text(a) for a in articles]
    words = TfidfVectorizer(sublinear_tf=True, stop_words="english", token_pattern=_TOKEN, dtype=np.float64,
                            max_df=MAX_DF if n >= MIN_DOCS_FOR_MAX_DF else 1.0)
    try:
        t = words.fit_transform(texts)
    except ValueError:  # no word left (no articles, or empty or numbers-only texts)
        words, t = None, sparse.csr_matrix((n, 0), dtype=np.float64)
    if any(entities):
        e = TfidfVectorizer(analyzer=_keys, sublinear_tf=True, dtype=np.float64).fit_transform(entities)
    else:
        e = sparse.csr_matrix((n, 0), dtype=np.float64)
    x = normalize(sparse.hstack([t * np.sqrt(1.0 - entity_weight), e * np.sqrt(entity_weight)], format="csr"), copy=False)
    width = e.shape[1]

    def transform(other: Sequence[str]) -> sparse.csr_matrix:
        w = words.transform(other) if words is not None else sparse.csr_matrix((len(other), 0))
        return normalize(sparse.hstack([w, sparse.csr_matrix((len(other), width))], format="csr"), copy=False)

    return x.tocsr(), transform


def _keys(keys: Sequence[str]) -> Sequence[str]:
    return keys

"""What a story says about itself: an extractive, cited title and summary from its own articles, its date span,
main places and main actors."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
from scipy import sparse

from ..records import Article, Incident, Place, SourceSpan, Story, stable_id
from ._util import iso
from .places import place_level
from .story_features import ENTITY_KINDS

__all__ = ["describe_all", "first_line", "template_title"]

TITLE_CHARS = 160
SUMMARY_CHARS = 400
LEAD_CHARS = 1200  # a summary sentence comes from an article's opening
CENTRAL = 5  # most central articles whose opening sentences may make the summary
MAIN_PLACES = 3
MAIN_ACTORS = 5
_SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?]+[\"'”’)]*|$)")
_MONTHS = ("January February March April May June July August September October November December").split()


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences in the opening of ``text`` (at least four words each)."""
    out = []
    for m in _SENTENCE.finditer(text[:LEAD_CHARS]):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if len(text[s:e].split()) >= 4:
            out.append((s, e))
    return out


def _clip(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 3].rsplit(" ", 1)[0] + "..."


def first_line(a: Article) -> str:
    return _clip(a.text.strip().split("\n", 1)[0], TITLE_CHARS) or a.id


def describe_all(
    clusters: Sequence[Sequence[int]],
    arts: Sequence[Article],
    x: sparse.csr_matrix,
    sentence_vectors,
    days: Sequence[tuple[int, int] | None],
    entity_ids: Sequence[Sequence[str]],
    kinds: Mapping[str, str],
    places: Mapping[str, Sequence[Place]],
    incidents_of: Sequence[Sequence[Incident]],
) -> list[Story]:
    """The story of each cluster (rows of ``arts``/``x``). ``sentence_vectors(texts)`` gives rows in the space of
    ``x`` for the summaries' candidate sentences (one call for all stories); ``incidents_of[k]``: the incidents
    of cluster ``k`` (for a title when no article has a headline)."""
    drafts, texts = [], []
    for rows, incs in zip(clusters, incidents_of):
        sub = x[list(rows)]
        centroid = np.asarray(sub.sum(axis=0)).ravel()
        central = np.asarray(sub @ centroid).ravel()
        members = [arts[r] for r in rows]
        ranked = [members[k] for k in sorted(range(len(rows)), key=lambda k: (-round(float(central[k]), 9), members[k].id))]
        titled = [a for a in ranked if (a.title or "").strip()]
        if titled:
            title, title_id = _clip(titled[0].title or "", TITLE_CHARS), titled[0].id
        else:
            title, title_id = (template_title(incs) or first_line(ranked[0])), ranked[0].id
        cands = _candidates(ranked[:CENTRAL], title)
        drafts.append((rows, members, title, title_id, centroid, cands, len(texts)))
        texts.extend(a.text[s:e] for a, s, e in cands)
    vecs = sentence_vectors(texts) if texts else None
    out = []
    for rows, members, title, title_id, centroid, cands, first in drafts:
        score = np.asarray(vecs[first : first + len(cands)] @ centroid).ravel() if cands else np.zeros(0)
        summary, spans = _summary(cands, score)
        known = [days[r] for r in rows if days[r] is not None]
        ids = tuple(sorted(a.id for a in members))
        out.append(Story(
            id=stable_id("story", ids[0], prefix="st_"), title=title, article_ids=ids,
            summary=summary, summary_spans=spans, title_article_id=title_id,
            date_start=iso(min(d[0] for d in known)) if known else None,
            date_end=iso(max(d[1] for d in known)) if known else None,
            places=_main_places(members, places), actor_ids=_main_actors(rows, entity_ids, kinds),
        ))
    return out


def _candidates(ranked: Sequence[Article], title: str) -> list[tuple[Article, int, int]]:
    """Opening sentences of the most central articles that do not repeat the title or each other."""
    cands: list[tuple[Article, int, int]] = []
    seen = {" ".join(title.split()).casefold()}
    for a in ranked:
        for s, e in _sentences(a.text)[:3]:
            key = " ".join(a.text[s:e].split()).casefold()
            if key not in seen and not key.startswith(title.casefold()[:60]):
                seen.add(key)
                cands.append((a, s, e))
    return cands


def _summary(cands: Sequence[tuple[Article, int, int]], score: np.ndarray) -> tuple[str, tuple[SourceSpan, ...]]:
    """Up to two candidate sentences, the most typical of the story first, from two different articles."""
    if not cands:
        return "", ()
    best = sorted(range(len(cands)), key=lambda k: (-round(float(score[k]), 9), k))
    picked: list[tuple[Article, int, int]] = []
    for k in best:
        a, s, e = cands[k]
        if picked and a.id == picked[0][0].id:
            continue
        picked.append(cands[k])
        if len(picked) == 2 or sum(e - s for _, s, e in picked) > SUMMARY_CHARS // 2:
            break
    text = _clip(" ".join(a.text[s:e] for a, s, e in picked), SUMMARY_CHARS)
    return text, tuple(SourceSpan(a.id, s, e) for a, s, e in picked)


def _main_places(members: Sequence[Article], places: Mapping[str, Sequence[Place]]) -> tuple[str, ...]:
    count: Counter[str] = Counter()
    for a in members:
        count.update({p.resolved_name or p.name for p in places.get(a.id, ()) if place_level(p) > 0})
    return tuple(n for n, _ in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[:MAIN_PLACES])


def _main_actors(rows: Sequence[int], entity_ids: Sequence[Sequence[str]], kinds: Mapping[str, str]) -> tuple[str, ...]:
    count: Counter[str] = Counter()
    for r in rows:
        count.update({c for c in entity_ids[r] if kinds.get(c) in ENTITY_KINDS})
    return tuple(c for c, _ in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[:MAIN_ACTORS])


def template_title(incidents: Sequence[Incident]) -> str | None:
    """A title built from a story's incidents when no article has a headline: the two most reported
    kinds of incident, the countries they happened in and the months, e.g. "Armed clash and talks:
    Xland and Yland, October–November 2025". None when there are no incidents."""
    if not incidents:
        return None
    kinds: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for i in incidents:
        kinds[i.type] += len(i.article_ids)
        for c in {p.country for p in i.places if p.country}:
            countries[c] += len(i.article_ids)
    top = [k.replace("_", " ") for k, _ in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    what = " and ".join(top)
    what = what[:1].upper() + what[1:]
    where = " and ".join(sorted(c for c, _ in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))[:2]))
    days = sorted(d for i in incidents for d in (i.date_start, i.date_end) if d)
    when = ""
    if days:
        (y0, m0), (y1, m1) = (int(days[0][:4]), int(days[0][5:7])), (int(days[-1][:4]), int(days[-1][5:7]))
        if (y0, m0) == (y1, m1):
            when = f"{_MONTHS[m0 - 1]} {y0}"
        elif y0 == y1:
            when = f"{_MONTHS[m0 - 1]}–{_MONTHS[m1 - 1]} {y0}"
        else:
            when = f"{_MONTHS[m0 - 1]} {y0}–{_MONTHS[m1 - 1]} {y1}"
    return ", ".join(x for x in (f"{what}: {where}" if where else what, when) if x)

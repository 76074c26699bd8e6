"""Cross-document incident linking at the level of articles: outlets telling one incident.

Mention-level coreference (:mod:`.incidents`) links mentions whose own sentences, dates and places
agree. Reports of one shooting or one strike by different outlets are often worded too differently
for that: one names the victim and the street, another the police statement. What they share is the
whole story's vocabulary — the victim's name, the street, the town, the weapon — and that is what an
analyst compares. This phase therefore:

1. takes each article's *main* incident of a family: the cluster that holds most of the article's
   mentions of that family (its own news, not a background reference told once);
2. represents each article by a TF-IDF vector of its title and lead (scikit-learn, sublinear term
   frequency, English stop words), so that rare shared words (names, streets) weigh most;
3. scores candidate pairs (articles sharing one of their highest-weighted terms, found through an
   inverted index with capped posting lists, so the cost grows linearly with the input) by cosine
   similarity, less a penalty that grows with the gap between their publication dates;
4. merges the two main clusters of a pair scoring at least :data:`LINK_COSINE`, in score order,
   unless the merged incident's explicit dates would conflict or its specific places are
   incompatible (hard constraints), or one of the articles was published before the other's
   incident began.

Deterministic and independent of input order: vectors are fitted on articles sorted by id, pairs
are taken in (score, ids) order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..records import Article, Place
from ._util import day
from .incidents import DATE_TOLERANCE, MentionInfo
from .places import place_level, places_compatible

__all__ = ["LinkStats", "link_articles", "main_clusters"]

# Fitted together on the first 200 incidents of ../shared/dev/gva-incidents and checked on the other 100
# (scripts/fit_linking.py prints the grid); change them as a set.
LINK_COSINE = 0.20  # cosine similarity (after the date penalty) needed to link two articles' main incidents
DAY_PENALTY = 0.005  # subtracted from the cosine per day between the two publication dates
MAX_PUB_GAP = 21  # days: articles published further apart are never linked here
LEAD_CHARS = 2500  # characters of the text (after the title) that represent an article
TOP_TERMS = 15  # highest-weighted terms per article used to find candidate pairs
MAX_POSTING = 400  # a term shared by more articles than this finds no candidates (too common)
MAX_PARTNERS = 40  # through one term, an article is paired with at most this many published next after it
LINKED_FAMILIES = frozenset({"violence", "talks", "agreement"})


@dataclass(frozen=True, slots=True)
class LinkStats:
    """What one linking pass did (for the fuse statistics)."""

    articles: int
    candidate_pairs: int
    links: int


def main_clusters(clusters: Sequence[Sequence[str]], info_by_id: Mapping[str, MentionInfo]) -> dict[tuple[str, str], int]:
    """(article id, family) -> index of the cluster holding most of that article's mentions of the family
    (ties: the cluster whose mention comes first in the article)."""
    count: dict[tuple[str, str], dict[int, list[int]]] = defaultdict(dict)
    for ci, members in enumerate(clusters):
        for m in members:
            info = info_by_id.get(m)
            if info is None:
                continue
            slot = count[(info.article_id, info.family)].setdefault(ci, [0, info.start])
            slot[0] += 1
            slot[1] = min(slot[1], info.start)
    return {key: min(by, key=lambda ci: (-by[ci][0], by[ci][1], ci)) for key, by in count.items()}


def _vectors(arts: Sequence[Article]):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [f"{a.title or ''}\n{a.text[:LEAD_CHARS]}" for a in arts]
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_][\w'-]{2,}\b",
                          dtype=np.float32)
    try:
        return vec.fit_transform(docs)
    except ValueError:  # no term at all (empty texts)
        return None


def _candidates(matrix, pub: Sequence[int | None]) -> list[tuple[int, int]]:
    """Pairs of rows sharing one of their :data:`TOP_TERMS` heaviest terms (posting lists capped), published
    at most :data:`MAX_PUB_GAP` days apart (rows without a date pair with all).

    Each posting list is walked in publication order and a row is paired only with the rows published after
    it within the gap, at most :data:`MAX_PARTNERS` of them: the pairs grow linearly with the articles
    (at most TOP_TERMS x MAX_PARTNERS per article), not with the square of a posting list.
    """
    postings: dict[int, list[int]] = defaultdict(list)
    matrix = matrix.tocsr()
    for row in range(matrix.shape[0]):
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        cols, vals = matrix.indices[lo:hi], matrix.data[lo:hi]
        order = sorted(range(len(cols)), key=lambda k: (-vals[k], cols[k]))[:TOP_TERMS]
        for k in order:
            postings[int(cols[k])].append(row)
    pairs: set[tuple[int, int]] = set()
    for rows in postings.values():
        if len(rows) > MAX_POSTING:
            continue
        undated = [r for r in rows if pub[r] is None]
        dated = sorted((r for r in rows if pub[r] is not None), key=lambda r: (pub[r], r))
        for i, x in enumerate(dated):
            for y in dated[i + 1 : i + 1 + MAX_PARTNERS]:
                if pub[y] - pub[x] > MAX_PUB_GAP:  # type: ignore[operator]
                    break
                pairs.add((x, y) if x < y else (y, x))
        for i, x in enumerate(undated):
            for y in (*undated[i + 1 : i + 1 + MAX_PARTNERS], *dated[:MAX_PARTNERS]):
                pairs.add((x, y) if x < y else (y, x))
    return sorted(pairs)


def _cosines(matrix, pairs: Sequence[tuple[int, int]], batch: int = 20_000) -> list[float]:
    """Cosine similarity of each pair of rows (the rows are L2-normalised), many pairs per sparse operation."""
    import numpy as np

    out: list[float] = []
    for k in range(0, len(pairs), batch):
        part = pairs[k:k + batch]
        xs = np.fromiter((x for x, _ in part), dtype=np.int64, count=len(part))
        ys = np.fromiter((y for _, y in part), dtype=np.int64, count=len(part))
        out.extend(float(v) for v in np.asarray(matrix[xs].multiply(matrix[ys]).sum(axis=1)).ravel())
    return out


@dataclass
class _Group:
    members: list[int]  # cluster indexes
    lo: int | None  # intersection of explicit date intervals
    hi: int | None
    places: tuple[Place, ...]  # specific places
    first_day: int | None  # earliest explicit day (an article published before it cannot tell the incident)


def _group(members: Sequence[str], info_by_id: Mapping[str, MentionInfo], ci: int) -> _Group:
    infos = [info_by_id[m] for m in members if m in info_by_id]
    spans = [(i.lo, i.hi) for i in infos if i.explicit and i.lo is not None and i.hi is not None]
    lo = max((s[0] for s in spans), default=None)
    hi = min((s[1] for s in spans), default=None)
    if lo is not None and hi is not None and lo > hi:  # members already disagree (a date dispute): keep the span
        lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
    places = tuple(dict.fromkeys(p for i in infos for p in i.places if place_level(p) >= 1)) or \
        tuple(dict.fromkeys(p for i in infos for p in i.home))
    return _Group([ci], lo, hi, places, min((s[0] for s in spans), default=None))


def _compatible(a: _Group, b: _Group, pub_a: int | None, pub_b: int | None) -> tuple[int | None, int | None] | None:
    """The merged explicit interval, or None when the two groups cannot be one incident."""
    lo, hi = a.lo, a.hi
    if b.lo is not None:
        if lo is None:
            lo, hi = b.lo, b.hi
        else:
            if max(lo, b.lo) - min(hi, b.hi) > DATE_TOLERANCE:  # type: ignore[type-var]
                return None
            lo, hi = max(lo, b.lo), max(min(hi, b.hi), max(lo, b.lo))  # type: ignore[type-var]
    if places_compatible(a.places, b.places, unknown_inside=True) == 0.0:
        return None
    # a report cannot tell of an incident that began after it was published
    if pub_a is not None and b.first_day is not None and pub_a < b.first_day:
        return None
    if pub_b is not None and a.first_day is not None and pub_b < a.first_day:
        return None
    return lo, hi


class _Merger:
    """Union-find over clusters that keeps each root's merged :class:`_Group` (dates, places, first day)."""

    def __init__(self, clusters: Sequence[Sequence[str]], info_by_id: Mapping[str, MentionInfo]):
        self.clusters = clusters
        self.parent = list(range(len(clusters)))
        self.groups = {ci: _group(members, info_by_id, ci) for ci, members in enumerate(clusters)}
        self.merges = 0

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def merge(self, a: int, b: int, pub_a: int | None, pub_b: int | None) -> bool:
        """Merge the clusters of ``a`` and ``b`` unless they cannot be one incident (:func:`_compatible`)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        merged = _compatible(self.groups[ra], self.groups[rb], pub_a, pub_b)
        if merged is None:
            return False
        keep, drop = (ra, rb) if ra < rb else (rb, ra)
        g, h = self.groups[keep], self.groups.pop(drop)
        g.members.extend(h.members)
        g.lo, g.hi = merged
        g.places = tuple(dict.fromkeys((*g.places, *h.places)))
        g.first_day = min((d for d in (g.first_day, h.first_day) if d is not None), default=None)
        self.parent[drop] = keep
        self.merges += 1
        return True

    def result(self) -> list[list[str]]:
        """The merged clusters, each sorted, sorted by first id."""
        out: dict[int, list[str]] = defaultdict(list)
        for ci, members in enumerate(self.clusters):
            out[self.find(ci)].extend(members)
        return sorted((sorted(ms) for ms in out.values()), key=lambda ms: ms[0])


def link_articles(
    articles: Mapping[str, Article],
    clusters: Sequence[Sequence[str]],
    info_by_id: Mapping[str, MentionInfo],
) -> tuple[list[list[str]], LinkStats]:
    """Merge the main incidents of articles that tell the same story (see the module docstring).

    Returns the new clusters (each sorted, sorted by first id) and statistics."""
    mains = main_clusters(clusters, info_by_id)
    by_family: dict[str, dict[str, int]] = defaultdict(dict)
    for (aid, fam), ci in mains.items():
        if fam in LINKED_FAMILIES and aid in articles:
            by_family[fam][aid] = ci
    merger = _Merger(clusters, info_by_id)
    n_pairs = 0

    for fam in sorted(by_family):
        main_of = by_family[fam]
        ids = sorted(main_of)
        if len(ids) < 2:
            continue
        matrix = _vectors([articles[a] for a in ids])
        if matrix is None:
            continue
        pub = [day(articles[a].published) for a in ids]
        scored = []
        pairs = _candidates(matrix, pub)
        n_pairs += len(pairs)
        for (x, y), cos in zip(pairs, _cosines(matrix.tocsr(), pairs)):
            gap = abs(pub[x] - pub[y]) if pub[x] is not None and pub[y] is not None else 0
            s = cos - DAY_PENALTY * gap
            if s >= LINK_COSINE:
                scored.append((round(s, 6), x, y))
        scored.sort(key=lambda t: (-t[0], t[1], t[2]))
        for _, x, y in scored:
            merger.merge(main_of[ids[x]], main_of[ids[y]], pub[x], pub[y])
    result = merger.result()
    return result, LinkStats(len(mains), n_pairs, merger.merges)


MAX_FIGURE_POSTING = 12  # a figure told of more incidents than this links none of them
MIN_FIGURE = 10  # smaller figures ("three wounded") repeat by chance across unrelated incidents


def link_by_figures(
    articles: Mapping[str, Article],
    clusters: Sequence[Sequence[str]],
    info_by_id: Mapping[str, MentionInfo],
    figures: Mapping[str, set[tuple[str, str, float]]],
) -> tuple[list[list[str]], int]:
    """Merge violent incidents of different articles that give the same casualty figure ("23 soldiers
    killed" in both), when their dates and places allow one incident: a background reference that carries
    a matching specific detail is the incident it refers to. ``figures`` maps a mention id to its
    (category, counted group, value) figures; only figures of at least :data:`MIN_FIGURE` count (on the gva
    set, figures of 3 and more merged unrelated shootings: B3 F1 0.835 -> 0.829).
    Returns the clusters and the number of merges."""
    keyed: dict[tuple[str, str, float], list[int]] = defaultdict(list)
    arts_of: dict[int, set[str]] = {}
    for ci, members in enumerate(clusters):
        infos = [info_by_id[m] for m in members if m in info_by_id]
        if not infos or not any(i.family in LINKED_FAMILIES - {"talks", "agreement"} for i in infos):
            continue
        arts_of[ci] = {i.article_id for i in infos}
        for key in sorted({k for m in members for k in figures.get(m, ()) if k[2] >= MIN_FIGURE}):
            keyed[key].append(ci)
    merger = _Merger(clusters, info_by_id)

    def first_pub(ci: int) -> int | None:  # the earliest report of a cluster
        return min((d for d in (day(articles[a].published) for a in arts_of[ci] if a in articles) if d), default=None)

    for key in sorted(keyed):
        cis = keyed[key]
        if len(cis) > MAX_FIGURE_POSTING:
            continue
        for a, b in zip(cis, cis[1:]):
            ra, rb = merger.find(a), merger.find(b)
            if ra != rb and not arts_of[ra] & arts_of[rb] and merger.merge(ra, rb, first_pub(ra), first_pub(rb)):
                arts_of[merger.find(ra)] = arts_of[ra] | arts_of[rb]
    return merger.result(), merger.merges


MAX_NAME_POSTING = 4  # a person named in more articles than this (an official, a politician) links none of them
MIN_SHARED_NAMES = 1


def link_by_names(
    articles: Mapping[str, Article],
    clusters: Sequence[Sequence[str]],
    info_by_id: Mapping[str, MentionInfo],
    names: Mapping[str, set[str]],
) -> tuple[list[list[str]], int]:
    """Merge the main violent incidents of articles that name the same people (a victim, a suspect: "Jane
    Roe, 25, was shot ..." in the first report and "the man accused of killing Jane Roe" in a later one),
    when their dates and places allow one incident. ``names`` maps an article id to the canonical ids of the
    people it names in full; a person named in more than :data:`MAX_NAME_POSTING` articles (a police chief,
    a mayor, a politician) is everyone's and links nothing. Returns the clusters and the number of merges."""
    mains = main_clusters(clusters, info_by_id)
    main_of = {aid: ci for (aid, fam), ci in mains.items() if fam == "violence" and aid in articles}
    posting: dict[str, list[str]] = defaultdict(list)
    for aid in sorted(main_of):
        for n in sorted(names.get(aid, ())):
            posting[n].append(aid)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for n in sorted(posting):
        aids = posting[n]
        if len(aids) > MAX_NAME_POSTING:
            continue
        for i, a in enumerate(aids):
            for b in aids[i + 1:]:
                shared[(a, b)] += 1
    merger = _Merger(clusters, info_by_id)
    for (a, b), k in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
        if k >= MIN_SHARED_NAMES:
            merger.merge(main_of[a], main_of[b], day(articles[a].published), day(articles[b].published))
    return merger.result(), merger.merges

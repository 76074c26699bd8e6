"""Agglomerative clustering of articles into stories: centroid linkage on a sparse neighbour graph, time as a
soft decay, hard negatives between incompatible main events, a fixed tie-break.

1. Candidates: each article's :attr:`StoryParams.neighbours` most similar articles (cosine of the vectors of
   :mod:`.story_features`, computed on words that are not too common, in row blocks), plus articles that
   share an incident. Only candidate pairs are ever compared, so time and memory grow with the articles.
2. Must-links: copy groups start as one cluster.
3. Merging: repeatedly merge the two clusters of highest similarity — the cosine of their centroids (sums of
   member vectors) times the time factor ``floor + (1 - floor) * exp(-gap / decay_days)`` (``gap``: days
   between the clusters' date spans, 0 when they overlap or either is undated), plus
   :attr:`StoryParams.incident_bonus` when they share an incident — until the best is below
   :attr:`StoryParams.threshold`. Two clusters holding incompatible main events
   (:func:`.story_features.compatible`) never merge, nor two that each have a main participant the other
   hardly names in its openings (unless given publication dates put them within a week of each other).

Ties are broken by the clusters' smallest row (rows are articles sorted by id), so the result is the same
for any input order.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .story_features import MainEvent, compatible

__all__ = ["StoryParams", "agglomerate", "candidate_pairs"]

CENTROID_TERMS = 400  # a centroid keeps its heaviest terms (bounds the cost of comparing large stories)
CANDIDATE_DF = 0.02  # words in more than this share of the articles (at least CANDIDATE_DF_MIN, at most
CANDIDATE_DF_MIN = 50  # CANDIDATE_DF_MAX articles) find no candidates: the cost of the neighbour search stays
CANDIDATE_DF_MAX = 500  # linear, and a story's rarer words still find its articles
BLOCK_ROWS = 500


@dataclass(frozen=True, slots=True)
class StoryParams:
    """The fitted weights (see docs/fusion.md, "Stories", for how they were fitted)."""

    threshold: float = 0.2
    entity_weight: float = 0.3
    decay_days: float = 30.0
    decay_floor: float = 0.6
    date_gap: int = 3
    incident_bonus: float = 0.1
    participant_min: int = 3  # clusters this large or larger have main participants
    participant_days: int = 7  # ... which tell nothing when both clusters are dated this close (one war's weeks)
    lead_share: float = 0.4  # a main participant of a cluster: named in the opening of this share of its articles
    absent_share: float = 0.2  # ... is absent from another cluster naming it in at most this share of its articles
    linkage: str = "centroid"  # "average": mean cosine of the two clusters' article pairs; "centroid": cosine of the centroids
    neighbours: int = 20
    floor: float = 0.05  # the least cosine that makes a candidate pair


def candidate_pairs(x: sparse.csr_matrix, rows: Sequence[int], k: int, floor: float) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, where ``j`` is among the ``k`` nearest of a row ``i`` in ``rows`` or back."""
    n = x.shape[0]
    if n < 2 or not len(rows):
        return set()
    df = np.bincount(x.indices, minlength=x.shape[1])
    keep = np.flatnonzero(df <= max(CANDIDATE_DF_MIN, min(CANDIDATE_DF * n, CANDIDATE_DF_MAX)))
    xc = x[:, keep].tocsr()
    xt = xc.T.tocsr()
    del df, keep
    out: set[tuple[int, int]] = set()
    rows = np.asarray(sorted(rows), dtype=np.int64)
    for b in range(0, len(rows), BLOCK_ROWS):
        block = rows[b : b + BLOCK_ROWS]
        sims = (xc[block] @ xt).tocsr()
        for r, i in enumerate(block):
            lo, hi = sims.indptr[r], sims.indptr[r + 1]
            cols, vals = sims.indices[lo:hi], sims.data[lo:hi]
            ok = (vals >= floor) & (cols != i)
            cols, vals = cols[ok], vals[ok]
            if len(cols) > k:
                order = np.lexsort((cols, -vals))[:k]  # highest first, ties by the smaller row
                cols = cols[order]
            for j in cols.tolist():
                out.add((int(i), j) if i < j else (j, int(i)))
    return out


class _Clusters:
    """The clusters being merged: centroid sums (sorted term indices and weights), date spans, main events,
    incidents and the participants named in their articles' openings."""

    def __init__(self, x: sparse.csr_matrix, days, sure, mains, incidents, leads, params: StoryParams):
        self.x, self.p = x, params
        self.vec: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # merged clusters only; a singleton reads its row of x
        self.norm2: dict[int, float] = {}
        self.size: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}
        self.days: dict[int, tuple[int, int] | None] = {}
        self.sure: dict[int, tuple[int, int] | None] = {}  # spans of publication dates given, not inferred
        self.mains: dict[int, dict[str, MainEvent]] = {}
        self.incs: dict[int, frozenset[str]] = {}
        self.leads: dict[int, Counter[str]] = {}
        self.nbrs: dict[int, set[int]] = {}
        self.version: dict[int, int] = {}
        self._row = (days, sure, mains, incidents, leads)
        self._nonempty = np.diff(x.indptr) > 0
        self._dense = np.zeros(x.shape[1])  # scratch: one cluster's centroid spread out, to compare it with many

    def add(self, r: int) -> None:
        days, sure, mains, incidents, leads = self._row
        self.members[r], self.size[r], self.version[r] = [r], 1, 0
        self.days[r] = days[r]
        self.sure[r] = sure[r] if sure else None
        m = mains[r]
        self.mains[r] = {m.incident_id: m} if m is not None else {}
        self.incs[r] = incidents[r]
        self.leads[r] = Counter(leads[r]) if leads else Counter()
        self.nbrs[r] = set()
        self.norm2[r] = 1.0 if self._nonempty[r] else 0.0  # rows are unit vectors

    def row(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        v = self.vec.get(c)
        if v is None:
            lo, hi = self.x.indptr[c], self.x.indptr[c + 1]
            v = (self.x.indices[lo:hi], self.x.data[lo:hi])
        return v

    def compatible(self, a: int, b: int) -> bool:
        ma, mb = self.mains[a], self.mains[b]
        if len(ma) > len(mb):
            ma, mb = mb, ma
        if not all(compatible(e, f, self.p.date_gap) for e in ma.values() for f in mb.values()):
            return False
        if min(self.size[a], self.size[b]) < self.p.participant_min:
            return True
        if _gap(self.sure[a], self.sure[b]) <= self.p.participant_days:
            return True  # reported within days of each other: one war's or one trial's new faces
        return not (self._own_participant(a, b) and self._own_participant(b, a))

    def _own_participant(self, a: int, b: int) -> bool:
        """Whether ``a`` has a main participant (named in the opening of a :attr:`StoryParams.lead_share` of its
        articles) that ``b`` hardly names in its openings: two clusters that each have one are news about
        different people (one boxer's two fights, two players put on injured reserve). Later reports of one
        often recall the earlier one, so ``b`` may still name ``a``'s participant further down."""
        na, nb = self.size[a], self.size[b]
        lead_b = self.leads[b]
        return any(k >= self.p.lead_share * na and lead_b.get(e, 0) <= self.p.absent_share * nb
                   for e, k in self.leads[a].items())

    def time_factor(self, a: int, b: int) -> float:
        gap = _gap(self.days[a], self.days[b])
        if gap == math.inf:
            return 1.0
        return self.p.decay_floor + (1.0 - self.p.decay_floor) * math.exp(-gap / self.p.decay_days)

    def similarities(self, c: int, others: Sequence[int]) -> list[float]:
        """:meth:`similarity` of ``c`` with each of ``others``."""
        ic, wc = self.row(c)
        self._dense[ic] = wc
        try:
            out = []
            for d in others:
                idx, w = self.row(d)
                out.append(self.similarity(c, d, dot=float(self._dense[idx] @ w)))
            return out
        finally:
            self._dense[ic] = 0.0

    def similarity(self, a: int, b: int, cos: float | None = None, dot: float | None = None) -> float:
        if cos is None:
            if dot is None:
                (ia, wa), (ib, wb) = self.row(a), self.row(b)
                _, ka, kb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
                dot = float(wa[ka] @ wb[kb])
            if self.p.linkage == "average":  # rows are unit vectors: the sums' dot is the sum of pair cosines
                cos = dot / (self.size[a] * self.size[b])
            else:
                cos = dot / math.sqrt(self.norm2[a] * self.norm2[b]) if self.norm2[a] and self.norm2[b] else 0.0
        bonus = self.p.incident_bonus if self.incs[a] & self.incs[b] else 0.0
        return cos * self.time_factor(a, b) + bonus

    def merge(self, a: int, b: int) -> int:
        """Merge ``b`` into ``a`` (``a`` < ``b``); returns ``a``."""
        (ia, wa), (ib, wb) = self.row(a), self.row(b)
        idx, inv = np.unique(np.concatenate([ia, ib]), return_inverse=True)
        val = np.zeros(len(idx))
        np.add.at(val, inv, np.concatenate([wa, wb]))
        if len(idx) > 2 * CENTROID_TERMS:  # keep the heaviest terms (ties by the smaller term), in term order
            keep = np.sort(np.lexsort((idx, -val))[:CENTROID_TERMS])
            idx, val = idx[keep], val[keep]
        self.vec[a] = (idx, val)
        self.vec.pop(b, None)
        self.norm2[a] = float(val @ val)
        self.members[a].extend(self.members.pop(b))
        self.size[a] += self.size.pop(b)
        self.days[a] = _union(self.days[a], self.days.pop(b))
        self.sure[a] = _union(self.sure[a], self.sure.pop(b))
        self.mains[a].update(self.mains.pop(b))
        self.leads[a].update(self.leads.pop(b))
        self.incs[a] = self.incs[a] | self.incs.pop(b)
        nb = self.nbrs.pop(b)
        self.nbrs[a] = (self.nbrs[a] | nb) - {a, b}
        for c in nb:
            self.nbrs[c].discard(b)
            if c != a:
                self.nbrs[c].add(a)
        self.version[a] += 1
        del self.version[b]
        return a


def _gap(da: tuple[int, int] | None, db: tuple[int, int] | None) -> float:
    """Days between two date spans (0 when they overlap; infinite when either is unknown)."""
    if da is None or db is None:
        return math.inf
    return max(0, max(da[0], db[0]) - min(da[1], db[1]))


def _union(da: tuple[int, int] | None, db: tuple[int, int] | None) -> tuple[int, int] | None:
    return db if da is None else da if db is None else (min(da[0], db[0]), max(da[1], db[1]))


def agglomerate(
    x: sparse.csr_matrix,
    days: Sequence[tuple[int, int] | None],
    mains: Sequence[MainEvent | None],
    incidents: Sequence[frozenset[str]],
    groups: Iterable[Iterable[int]],
    pairs: Iterable[tuple[int, int]],
    params: StoryParams,
    rows: Iterable[int] | None = None,
    leads: Sequence[frozenset[str]] = (),
    sure: Sequence[tuple[int, int] | None] = (),
) -> list[list[int]]:
    """Clusters (sorted lists of rows) of ``rows`` (default all rows of ``x``); ``groups`` are must-links,
    ``pairs`` the candidate pairs (pairs with a row outside ``rows`` are ignored)."""
    live = sorted(set(range(x.shape[0]) if rows is None else rows))
    cl = _Clusters(x, days, sure, mains, incidents, leads, params)
    for r in live:
        cl.add(r)
    owner = {r: r for r in live}
    for g in groups:
        g = sorted({owner[r] for r in g if r in owner})
        a = g[0] if g else None
        for c in g[1:]:
            if c in cl.members:
                for r in cl.members[c]:
                    owner[r] = a
                cl.merge(a, c)
    cand = sorted({(min(owner[i], owner[j]), max(owner[i], owner[j])) for i, j in pairs
                   if i in owner and j in owner and owner[i] != owner[j]})
    for a, b in cand:
        cl.nbrs[a].add(b)
        cl.nbrs[b].add(a)
    heap: list[tuple[float, int, int, int, int]] = []
    singles = [(a, b) for a, b in cand if a not in cl.vec and b not in cl.vec]
    if singles:
        ia, ib = np.array([p[0] for p in singles]), np.array([p[1] for p in singles])
        cos = np.asarray(x[ia].multiply(x[ib]).sum(axis=1)).ravel().tolist()
    else:
        cos = []
    known = dict(zip(singles, cos))
    for a, b in cand:
        if cl.compatible(a, b):
            s = cl.similarity(a, b, known.get((a, b)))
            if s >= params.threshold:
                heap.append((-s, a, b, cl.version[a], cl.version[b]))
    heapq.heapify(heap)
    while heap:
        neg, a, b, va, vb = heapq.heappop(heap)
        if cl.version.get(a) != va or cl.version.get(b) != vb:
            continue  # a stale entry: one side has merged since
        if not cl.compatible(a, b):
            continue
        c = cl.merge(a, b)
        others = [d for d in sorted(cl.nbrs[c]) if cl.compatible(c, d)]
        for d, s in zip(others, cl.similarities(c, others)):
            if s >= params.threshold:
                lo, hi = min(c, d), max(c, d)
                heapq.heappush(heap, (-s, lo, hi, cl.version[lo], cl.version[hi]))
    return [sorted(m) for _, m in sorted(cl.members.items())]

"""Article linking's candidate pairs stay linear in the number of articles, and are the pairs the old
all-pairs-per-term rule gave whenever a term is shared by few articles."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from hypothesis import given, settings, strategies as st
from scipy.sparse import csr_matrix

from trucewatch.fuse import linking as lk


def _matrix(rows: list[list[int]]):
    """A TF-IDF-like matrix: row r holds its terms with distinct, decreasing weights (L2-normalised)."""
    data, ind, ptr = [], [], [0]
    for terms in rows:
        w = np.array([1.0 / (k + 1) for k in range(len(terms))], dtype=np.float32)
        w /= np.linalg.norm(w) if len(terms) else 1.0
        data.extend(w)
        ind.extend(terms)
        ptr.append(len(ind))
    return csr_matrix((np.array(data, dtype=np.float32), ind, ptr), shape=(len(rows), 40))


def _all_pairs_rule(matrix, pub):
    """Every two rows sharing a top term (posting lists capped) and published within the gap."""
    postings = defaultdict(list)
    for r in range(matrix.shape[0]):
        lo, hi = matrix.indptr[r], matrix.indptr[r + 1]
        cols, vals = matrix.indices[lo:hi], matrix.data[lo:hi]
        for k in sorted(range(len(cols)), key=lambda k: (-vals[k], cols[k]))[: lk.TOP_TERMS]:
            postings[int(cols[k])].append(r)
    out = set()
    for rows in postings.values():
        if len(rows) <= lk.MAX_POSTING:
            for i, x in enumerate(rows):
                for y in rows[i + 1:]:
                    if pub[x] is None or pub[y] is None or abs(pub[x] - pub[y]) <= lk.MAX_PUB_GAP:
                        out.add((min(x, y), max(x, y)))
    return sorted(out)


_row = st.lists(st.integers(0, 39), min_size=1, max_size=6, unique=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_row, st.one_of(st.none(), st.integers(0, 120))), min_size=2, max_size=30))
def test_candidates_are_the_all_pairs_rule_when_terms_are_shared_by_few(rows):
    matrix = _matrix([terms for terms, _ in rows])
    pub = [d for _, d in rows]
    assert lk._candidates(matrix, pub) == _all_pairs_rule(matrix, pub)  # 30 rows < MAX_PARTNERS: no cap


def test_candidates_grow_linearly_when_every_article_shares_its_terms():
    """2,000 articles in blocks of 300 that share five terms each (a posting list of 300 is kept), sixty
    published a day: pairs stay under TOP_TERMS x MAX_PARTNERS per article, and each is scored right."""
    n = 2000
    rows = [[(r // 300) * 5 + k % 5 for k in range(5)] for r in range(n)]
    matrix = _matrix(rows)
    pub = [r // 60 for r in range(n)]  # a term's articles within the gap are far more than the cap
    pairs = lk._candidates(matrix, pub)
    assert len(pairs) <= n * lk.TOP_TERMS * lk.MAX_PARTNERS
    assert len(pairs) < len(_all_pairs_rule(matrix, pub)) / 3
    assert all(abs(pub[x] - pub[y]) <= lk.MAX_PUB_GAP for x, y in pairs)
    cos = lk._cosines(matrix, pairs[:500])
    for (x, y), c in zip(pairs[:500], cos):
        assert abs(c - float(matrix[x].multiply(matrix[y]).sum())) < 1e-6

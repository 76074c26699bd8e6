"""Property tests: fusion ignores input order; an exact syndicated copy changes no source counts."""

from __future__ import annotations

import random

from fuse_builders import copy_article
from fuse_scenario import scenario
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trucewatch.fuse import fuse
from trucewatch.records import to_dict

ARTICLES, ANALYSES, IDS = scenario()
BASE = fuse(ARTICLES, ANALYSES)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_shuffled_input_gives_identical_output(rnd: random.Random):
    arts, ans = list(ARTICLES), list(ANALYSES)
    rnd.shuffle(arts)
    rnd.shuffle(ans)
    # the records inside each analysis may come in any order too
    import dataclasses

    ans = [
        dataclasses.replace(a, events=tuple(rnd.sample(a.events, len(a.events))), quotes=tuple(rnd.sample(a.quotes, len(a.quotes))),
                            claims=tuple(rnd.sample(a.claims, len(a.claims))), actors=tuple(rnd.sample(a.actors, len(a.actors))))
        for a in ans
    ]
    assert to_dict(fuse(arts, ans)) == to_dict(BASE)


def _counts(fusion):
    inc = {m.event_id: i.independent_sources for i in fusion.incidents for m in i.mentions}
    qc = {q: c.independent_sources for c in fusion.quote_clusters for q in c.quote_ids}
    return inc, qc


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=0, max_value=len(ARTICLES) - 1), st.sampled_from(["Copy Wire Daily", "Another Outlet"]))
def test_adding_an_exact_copy_changes_no_independent_source_counts(index: int, outlet: str):
    art, an = copy_article(ARTICLES[index], ANALYSES[index], outlet=outlet, suffix="\n(syndicated)")
    more = fuse([*ARTICLES, art], [*ANALYSES, an])
    before_inc, before_qc = _counts(BASE)
    after_inc, after_qc = _counts(more)
    for event_id, n in before_inc.items():
        assert after_inc[event_id] == n
    for quote_id, n in before_qc.items():
        assert after_qc[quote_id] == n
    assert len(more.incidents) == len(BASE.incidents)
    assert any(art.id in g.article_ids and ARTICLES[index].id in g.article_ids for g in more.copies)


def test_duplicate_records_in_input_are_harmless():
    assert to_dict(fuse(ARTICLES + ARTICLES[:3], ANALYSES + ANALYSES[:3])) == to_dict(BASE)

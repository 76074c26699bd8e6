"""Incremental fusion: cached signatures and scored blocks are reused; the result equals a full run."""

from __future__ import annotations

import json

from fuse_builders import ArticleBuilder, place
from fuse_scenario import KEL_RIDGE, scenario
from test_export import fill

from trucewatch import pipeline
from trucewatch.fuse import FuseCache, fuse, fuse_with_cache, load_fusion
from trucewatch.records import to_dict


def late_report():
    b = ArticleBuilder("L1", "Night Desk", "2025-03-09",
                       "Shells hit Kel Ridge on Saturday and four soldiers were killed, the Varenian army said.")
    army = b.actor("Varenian army", "organization", country="XV")
    e = b.event("shelling", "Shells hit", target=[army], places=[KEL_RIDGE], time=("on Saturday", "2025-03-08"))
    b.claim("four soldiers", 4, claimant="Varenian army", claimant_actor=army, event=e)
    return b.build()


def test_cached_run_rescans_only_touched_blocks_and_matches_a_full_run():
    articles, analyses, _ = scenario()
    cache = FuseCache()
    first, stats1 = fuse_with_cache(articles, analyses, cache=cache)
    assert stats1["blocks_rescored"] == stats1["blocks"]
    again, stats2 = fuse_with_cache(articles, analyses, cache=cache)
    assert stats2["blocks_rescored"] == 0 and to_dict(again) == to_dict(first)
    art, an = late_report()
    more, stats3 = fuse_with_cache([*articles, art], [*analyses, an], cache=cache)
    assert 0 < stats3["blocks_rescored"] < stats3["blocks"]
    assert to_dict(more) == to_dict(fuse([*articles, art], [*analyses, an]))


def test_pipeline_fuse_persists_cache_and_results(settings, store):
    articles, analyses, ids = scenario()
    fill(store, articles, analyses)
    f1 = pipeline.fuse(settings, store)
    assert len(store.states("fuse:sig:")) == len(articles)
    assert store.states("fuse:blk:")
    assert to_dict(load_fusion(store)) == to_dict(f1)
    art, an = late_report()
    fill(store, [art], [an])
    f2 = pipeline.fuse(settings, store)
    stats = json.loads(store.get_state("fuse:last_stats"))
    assert 0 < stats["blocks_rescored"] < stats["blocks"]
    kel = next(i for i in f2.incidents if any(m.event_id == ids["A1.kel"] for m in i.mentions))
    assert art.id in kel.article_ids
    assert to_dict(f2) == to_dict(fuse([*articles, art], [*analyses, an]))
    assert store.count("incident") == len(f2.incidents)

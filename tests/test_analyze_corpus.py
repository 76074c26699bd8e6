"""End to end on the shared real corpus: ingest + analyze, print what was found, assert general invariants only.

Run with ``-s`` to read the findings. Invariants: every quote's span is inside the text and matches it;
every claim has a claimant (an actor of the article or the outlet); low <= value <= high; every date
resolved from a relative expression lies within a year of the publication date.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from trucewatch import pipeline
from trucewatch.analyze.claims import outlet_of

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory):
    from conftest import SHARED_CORPUS

    from trucewatch.settings import Settings
    from trucewatch.store import open_store

    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"the shared real corpus is not present at {SHARED_CORPUS}")
    settings = Settings.from_env(env={}, db=str(tmp_path_factory.mktemp("corpus") / "c.db"))
    store = open_store(settings)
    pipeline.ingest([str(SHARED_CORPUS)], settings, store)
    report = pipeline.analyze(settings, store)
    articles = {a.id: a for a in store.articles()}
    analyses = list(store.iter_analyses())
    yield report, articles, analyses
    store.close()


def test_corpus_analysis_prints_findings_and_keeps_invariants(shared_corpus, analyzed):
    report, articles, analyses = analyzed
    assert report.analyzed == len(articles) >= 1 and not report.skipped
    for an in analyses:
        art = articles[an.article_id]
        print(f"\n===== {art.source_path} ({art.outlet or 'no outlet'}, published {art.published})")
        for x in an.actors:
            print(f"  ACTOR {x.kind:12s} {x.name}  roles={list(x.roles)} aliases={list(x.aliases)} country={x.country}")
        for q in an.quotes:
            print(f"  QUOTE {'direct' if q.direct else 'indirect':8s} {q.speaker!s:32.32s} [{q.cue}] {q.text[:90]!r}")
        for c in an.claims:
            print(f"  CLAIM {c.original!r} value={c.value} ({c.low}-{c.high}) {c.category} counted={c.counted} "
                  f"pred={c.predicate} side={c.side} claimant={c.claimant!r} hedge={c.hedge}")
        for al in an.aliases:
            print(f"  ALIAS {al[0]!r} -> {al[1]!r}")
        text = art.text
        for q in an.quotes:
            assert 0 <= q.start < q.end <= len(text) and text[q.start:q.end] == q.text
            if q.speaker_start is not None:
                assert 0 <= q.speaker_start < q.speaker_end <= len(text)
        for c in an.claims:
            assert 0 <= c.start < c.end <= len(text)
            # Every claim names who says so: an actor of the article, or the outlet itself.
            assert c.claimant and (c.claimant_actor_id or c.claimant == outlet_of(art))
            assert c.low is None or c.value is None or c.low <= c.value
            assert c.high is None or c.value is None or c.value <= c.high
        actor_ids = {x.id for x in an.actors}
        for q in an.quotes:
            assert q.speaker_actor_id is None or q.speaker_actor_id in actor_ids
        for c in an.claims:
            assert c.claimant_actor_id is None or c.claimant_actor_id in actor_ids
        for x in an.actors:
            for s, e in x.mentions:
                assert 0 <= s < e <= len(text)
        if art.published:
            pub = dt.date.fromisoformat(art.published)
            for t in an.times:
                if re.search(r"\b(1[89]|20)\d\d\b", t.text):
                    continue  # an explicit year ("since 2021") is taken as written, however far back
                for d in (t.date_start, t.date_end):
                    if d:
                        assert abs((dt.date.fromisoformat(d) - pub).days) <= 366, (t, art.published)
